#pragma once
// Private to the store: reads shared by several parts of it.

#include <string>
#include <vector>

#include "bcma/core/result.hpp"
#include "bcma/domain/product.hpp"
#include "bcma/station/store/database.hpp"

namespace bcma::station::store::queries {

/// The active ingredients per unit dose of a VMP, in dm+d order. Errors: sqlite_error.
Result<std::vector<domain::Ingredient>> vmp_ingredients(Database& db, const std::string& vmp_id);

}  // namespace bcma::station::store::queries
