#include <catch2/catch.hpp>

#include <CLI/CLI.hpp>

#include <memory>
#include <string>
#include <vector>

#include "cli/command_tree.hpp"
#include "cli/docs/man_page.hpp"
#include "cli/docs/roff.hpp"
#include "cli/help_formatter.hpp"

using namespace brix::cli;

namespace {

// A small tree shaped like brix's: a group with a verb (and an alias), a hidden command.
struct HelpTree {
    CLI::App root{"brix: test tree", "brix"};
    std::vector<std::string> paths;
    std::string name;
    bool recursive = false;

    HelpTree() {
        root.formatter(std::make_shared<HelpFormatter>());
        root.add_flag("--debug", recursive, "Trace requests");
        auto* group = root.add_subcommand("workspace", "Workspace objects");
        group->footer("Examples:\n  brix workspace ls /");
        auto* ls = group->add_subcommand("ls", "List a folder");
        ls->alias("list");
        ls->add_option("path", name, "Folder");
        auto* rm = group->add_subcommand("rm", "Delete an object");
        rm->add_option("path", name, "Object")->required();
        rm->add_flag("-r,--recursive", recursive, "Folders too");
        rm->footer("A missing path exits 3.\nExamples:\n  brix workspace rm -r /Shared/old\n  brix workspace rm /Shared/x");
        auto* import = group->add_subcommand("import", "Import a file");
        import->add_option("paths", paths, "SOURCE TARGET")->expected(1, 2)->required()->option_text("<source> <target>\n<target> --file <source>");
        root.add_subcommand("__man", "internal")->group("");
    }
    const CLI::App& at(const std::string& group, const std::string& verb = "") {
        auto* app = root.get_subcommand(group);
        return verb.empty() ? *app : *app->get_subcommand(verb);
    }
};

}  // namespace

TEST_CASE("usage lines use <required> and [optional] arguments and the whole command path") {
    HelpTree tree;
    CHECK(usages(tree.root) == std::vector<std::string>{"brix <command> [flags]"});
    CHECK(usages(tree.at("workspace")) == std::vector<std::string>{"brix workspace <command> [flags]"});
    CHECK(usages(tree.at("workspace", "ls")) == std::vector<std::string>{"brix workspace ls [path] [flags]"});
    CHECK(usages(tree.at("workspace", "rm")) == std::vector<std::string>{"brix workspace rm <path> [flags]"});
    CHECK(usages(tree.at("workspace", "import")) ==
          std::vector<std::string>{"brix workspace import <source> <target> [flags]", "brix workspace import <target> --file <source> [flags]"});
}

TEST_CASE("internal commands are hidden from the tree") {
    HelpTree tree;
    std::vector<std::string> words;
    for (const auto* command : all_commands(tree.root)) words.push_back(command_words(*command));
    CHECK(words == std::vector<std::string>{"workspace", "workspace ls", "workspace rm", "workspace import"});
}

TEST_CASE("flags are written with their value placeholder") {
    HelpTree tree;
    auto flags = visible_flags(tree.at("workspace", "rm"));
    REQUIRE(flags.size() == 2);
    CHECK(flag_usage(*flags[0]) == "-h, --help");
    CHECK(flag_usage(*flags[1]) == "-r, --recursive");
}

TEST_CASE("a footer splits into notes and examples") {
    auto parts = split_footer("A missing path exits 3.\nExamples:\n  brix workspace rm -r /x\n  brix workspace rm /y\nMore notes.");
    CHECK(parts.notes == std::vector<std::string>{"A missing path exits 3.", "More notes."});
    CHECK(parts.examples == std::vector<std::string>{"brix workspace rm -r /x", "brix workspace rm /y"});
}

TEST_CASE("a group's help names the whole path and lists its verbs with their aliases") {
    HelpTree tree;
    auto help = tree.at("workspace").help();
    CHECK(help.find("Usage: brix workspace <command> [flags]") != std::string::npos);
    CHECK(help.find("  ls (alias: list)  List a folder") != std::string::npos);
    CHECK(help.find("Global flags:\n  --debug") != std::string::npos);
    CHECK(help.find("__man") == std::string::npos);
    CHECK(tree.root.help().find("__man") == std::string::npos);
}

TEST_CASE("roff escaping keeps text from being read as requests or escapes") {
    CHECK(docs::roff_line(".hidden") == "\\&.hidden");
    CHECK(docs::roff_line("a\\b --flag 'x'") == "a\\eb \\-\\-flag \\(aqx\\(aq");
    CHECK(docs::roff_line("caf\xC3\xA9 \xE2\x80\x94") == "caf\\[u00E9] \\[u2014]");
    CHECK(docs::roff_line("/api/2.0") == "/\\:api/\\:2.0");
}

TEST_CASE("the man page has its sections and every command") {
    HelpTree tree;
    auto page = docs::man_page(tree.root);
    for (const auto* heading : {".SH NAME", ".SH SYNOPSIS", ".SH DESCRIPTION", ".SH COMMANDS", ".SH ENVIRONMENT", ".SH FILES",
                                ".SH EXIT STATUS"})
        CHECK(page.find(heading) != std::string::npos);
    CHECK(page.find(".SS\nbrix workspace rm\n") != std::string::npos);
    CHECK(page.find("brix workspace rm \\-r /\\:Shared/\\:old") != std::string::npos);
    CHECK(page.find("__man") == std::string::npos);
}
