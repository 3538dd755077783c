#pragma once
// What the secrets verbs share: both CLIs' spellings of the names they take, the Go CLI's
// positionals (SCOPE, KEY, PRINCIPAL, PERMISSION) and the legacy CLI's flags (--scope, --key, ...).

#include <memory>
#include <optional>
#include <string>

namespace CLI {
class App;
}
namespace brix::cli {
class Context;
}

namespace brix::commands::secrets {

struct NameArgument {
    std::string positional_name;  // e.g. "SCOPE"
    std::string flag_name;        // e.g. "--scope"
    std::optional<std::string> positional;
    std::optional<std::string> flag;

    // The one value given; UsageError when it is missing or the two spellings disagree.
    std::string value() const;
};

// Adds POSITIONAL and --flag to `verb`; positionals are filled in the order they are added.
std::shared_ptr<NameArgument> add_name(CLI::App& verb, const std::string& positional_name, const std::string& flag_name,
                                       const std::string& description);

// The `secrets` group with all its verbs.
void add_group(CLI::App& app, cli::Context& context);

// put-acl (write-acl), get-acl, list-acls, delete-acl.
void add_acl_verbs(CLI::App& group, cli::Context& context);

}  // namespace brix::commands::secrets
