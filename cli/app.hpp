#pragma once

namespace brix::cli {

// Parses the command line, runs the command and maps any error to its message and exit code.
int run(int argc, char** argv);

}  // namespace brix::cli
