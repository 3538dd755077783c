// commands::add_needed: a command line that names a hand-written group builds that group only, and
// the table behind it names exactly the groups the builders register.
#include <catch2/catch.hpp>

#include <CLI/CLI.hpp>

#include <algorithm>
#include <set>
#include <string>

#include "cli/context.hpp"
#include "commands/commands.hpp"

namespace {

std::set<std::string> top_level_names(CLI::App& app) {
    std::set<std::string> names;
    for (auto* sub : app.get_subcommands([](CLI::App*) { return true; })) names.insert(sub->get_name());
    return names;
}

}  // namespace

TEST_CASE("the hand-written group table names what the builders register") {
    brix::cli::Context context;
    CLI::App all{"brix"};
    brix::commands::add_all(all, context);
    auto listed = brix::commands::hand_written_group_names();
    CHECK(top_level_names(all) == std::set<std::string>(listed.begin(), listed.end()));
}

TEST_CASE("a command line naming a hand-written group builds its builder's groups only") {
    for (const auto& name : brix::commands::hand_written_group_names()) {
        brix::cli::Context context;
        CLI::App app{"brix"};
        brix::commands::add_needed(app, context, name);
        auto built = top_level_names(app);
        INFO(name);
        CHECK(built.count(name) == 1);
        CHECK(built.size() <= 3);  // repos+clusters and secrets+configure+auth share a builder
    }
}

TEST_CASE("anything else builds every hand-written group") {
    for (const std::string word : {"", "jbos", "catalogs", "__complete"}) {
        brix::cli::Context context;
        CLI::App app{"brix"};
        brix::commands::add_needed(app, context, word);
        INFO(word);
        CHECK(top_level_names(app).size() == brix::commands::hand_written_group_names().size());
    }
}
