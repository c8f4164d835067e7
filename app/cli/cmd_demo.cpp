#include "args.h"
#include "commands.h"

#include <cstdio>

namespace cairn::cli {

int runDemoExport(int argc, char** argv, int first)
{
    Args args(argc, argv, first);
    (void)args;
    std::fprintf(stderr, "cairn-cli demo export: not implemented yet\n");
    return 1;
}

} // namespace cairn::cli
