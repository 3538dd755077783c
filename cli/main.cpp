#include <cstring>

#include "cli/app.hpp"
#include "engine/jobs/launcher.hpp"

int main(int argc, char** argv) {
    // Run workers are this binary too; they skip the command line parser entirely.
    if (argc > 1 && std::strcmp(argv[1], "__execute-run") == 0) return brix::engine::jobs::run_worker(argc, argv);
    return brix::cli::run(argc, argv);
}
