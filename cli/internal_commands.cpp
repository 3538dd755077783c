#include "cli/internal_commands.hpp"

#include <CLI/CLI.hpp>

#include <cstdio>
#include <fstream>
#include <memory>
#include <stdexcept>
#include <string>

#include "cli/command_tree.hpp"
#include "cli/docs/man_page.hpp"
#include "cli/output.hpp"

namespace brix::cli {
namespace {

void add_man(CLI::App& root) {
    auto file = std::make_shared<std::string>();
    auto* man = root.add_subcommand("__man", "Write the brix(1) man page")->group("");
    man->add_option("file", *file, "Where to write it (default: stdout)");
    man->callback([&root, file] {
        auto page = docs::man_page(root);
        if (file->empty()) {
            write_stdout(page);
            return;
        }
        std::ofstream out(*file, std::ios::binary | std::ios::trunc);
        out << page;
        if (!out.flush()) throw std::runtime_error("cannot write " + *file);
    });
}

// One line per command: its words, then a tab and its aliases separated by commas when it has any.
void add_command_list(CLI::App& root) {
    auto* list = root.add_subcommand("__commands", "List every command path")->group("");
    list->callback([&root] {
        for (const auto* command : all_commands(root)) {
            std::string line = command_words(*command);
            std::string aliases;
            for (const auto& alias : command->get_aliases()) aliases += (aliases.empty() ? "" : ",") + alias;
            if (!aliases.empty()) line += "\t" + aliases;
            std::puts(line.c_str());
        }
    });
}

}  // namespace

void add_internal_commands(CLI::App& root) {
    add_man(root);
    add_command_list(root);
}

}  // namespace brix::cli
