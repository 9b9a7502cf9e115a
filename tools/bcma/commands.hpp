#pragma once
// One declaration per subcommand; each is defined in its own cmd_<name>.cpp.
#include "command.hpp"

namespace bcma::cli {

int cmd_nhs(Args args, Io io);
int cmd_audit(Args args, Io io);
int cmd_gs1(Args args, Io io);
int cmd_decode(Args args, Io io);
int cmd_demo(Args args, Io io);
int cmd_scenario(Args args, Io io);
int cmd_emar(Args args, Io io);
int cmd_station(Args args, Io io);
int cmd_dmd(Args args, Io io);
int cmd_report(Args args, Io io);

}  // namespace bcma::cli
