// bcma: the command line for the care-home station, the pharmacist and the evaluator.
#include <array>
#include <iostream>
#include <string>
#include <vector>

#include "command.hpp"
#include "commands.hpp"

namespace bcma::cli {

namespace {

int cmd_help(Args args, Io io);

// Keep in the order `bcma help` should list them.
constexpr std::array kCommands{
    Command{"help", "list the commands, or show one command's help", cmd_help},
    Command{"nhs", "validate and format NHS numbers (nhs check)", cmd_nhs},
    Command{"audit", "verify the station audit log's hash chain (audit verify --db FILE)", cmd_audit},
    Command{"gs1", "parse and validate GS1 barcode data as JSON (gs1 parse)", cmd_gs1},
    Command{"decode", "read barcodes from PNG/JPEG files with the scanner pipeline", cmd_decode},
    Command{"demo", "show what bcma makes of a set of sample scans", cmd_demo},
    Command{"scenario", "run scenario files through the scan-handling service (scenario run FILE...)", cmd_scenario},
    Command{"emar", "pharmacy eMAR feed: FHIR import, review queue, due doses, export", cmd_emar},
    Command{"station", "set up a station and pair, revoke and list its scanners", cmd_station},
    Command{"dmd", "import the NHS dm+d release and look products up (dmd import|lookup|release)", cmd_dmd},
    Command{"report", "the pharmacist's reports as CSV or JSON (report NAME --db FILE --from --to)", cmd_report},
};

int cmd_help(Args args, Io io) {
  if (!args.empty()) {
    for (const auto& c : kCommands) {
      if (c.name == args[0]) {
        const std::vector<std::string> help{"--help"};
        return c.run(help, io);
      }
    }
    io.err << "bcma: no such command: " << args[0] << "\n";
    return kExitUsage;
  }
  io.out << "usage: bcma <command> [options]\n\ncommands:\n";
  for (const auto& c : kCommands) {
    io.out << "  " << c.name << std::string(10 - std::min<std::size_t>(c.name.size(), 9), ' ')
           << c.summary << "\n";
  }
  io.out << "\nRun `bcma <command> --help` for a command's options.\n";
  return kExitOk;
}

}  // namespace

std::span<const Command> commands() { return kCommands; }

}  // namespace bcma::cli

int main(int argc, char** argv) {
  using namespace bcma::cli;
  std::ios::sync_with_stdio(false);
  Io io{std::cin, std::cout, std::cerr};
  if (argc < 2) {
    std::vector<std::string> none;
    commands()[0].run(none, io);
    return kExitUsage;
  }
  const std::string name = argv[1];
  std::vector<std::string> args(argv + 2, argv + argc);
  if (name == "--help" || name == "-h") return commands()[0].run({}, io);
  for (const auto& c : commands()) {
    if (c.name == name) {
      const int rc = c.run(args, io);
      io.out.flush();
      return rc;
    }
  }
  io.err << "bcma: unknown command '" << name << "' (bcma help lists them)\n";
  return kExitUsage;
}
