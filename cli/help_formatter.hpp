#pragma once
// The help of every command: a summary, `Usage: brix <words> <arg> [optional] [flags]`, the verbs of
// a group with their aliases, the command's flags, the global flags, then its notes and examples
// (the footer). Installed on the root before commands are added, so every command inherits it.

#include <CLI/FormatterFwd.hpp>

namespace brix::cli {

class HelpFormatter : public CLI::FormatterBase {
public:
    std::string make_help(const CLI::App* app, std::string name, CLI::AppFormatMode mode) const override;
};

}  // namespace brix::cli
