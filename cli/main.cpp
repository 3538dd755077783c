#include "cli/app.hpp"

int main(int argc, char** argv) { return brix::cli::run(argc, argv); }
