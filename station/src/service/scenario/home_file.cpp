#include "bcma/station/service/home_file.hpp"

#include "model.hpp"
#include "reader.hpp"
#include "setup.hpp"

namespace bcma::station::service {

Result<LoadedHome> load_home_file(store::Store& store, const std::filesystem::path& file) {
  scenario::Model model;
  try {
    model = scenario::parse_home_file(file.string());
  } catch (const scenario::ParseError& e) {
    return fail("malformed_home", e.where + ": " + e.what);
  }
  scenario::World world;
  if (auto r = scenario::set_up(store, model, world); !r) return Unexpected(std::move(r).error());
  LoadedHome loaded;
  loaded.home_name = model.home.name;
  loaded.residents = model.residents.size();
  loaded.staff = model.staff.size();
  loaded.prescriptions = model.prescriptions.size();
  loaded.labels = model.labels.size();
  loaded.past_doses = model.history.size();
  loaded.nhs_gsrn_prefixes = model.nhs_gsrn_prefixes;
  return loaded;
}

}  // namespace bcma::station::service
