#include "commands/secrets/verbs.hpp"

#include <CLI/CLI.hpp>

#include "cli/context.hpp"

namespace brix::commands::secrets {

std::string NameArgument::value() const {
    if (positional && flag && *positional != *flag)
        throw cli::UsageError(positional_name + " and " + flag_name + " disagree: give one of them");
    auto given = positional ? positional : flag;
    if (!given || given->empty()) throw cli::UsageError("missing " + positional_name + " (or " + flag_name + ")");
    return *given;
}

std::shared_ptr<NameArgument> add_name(CLI::App& verb, const std::string& positional_name, const std::string& flag_name,
                                       const std::string& description) {
    auto argument = std::make_shared<NameArgument>();
    argument->positional_name = positional_name;
    argument->flag_name = flag_name;
    verb.add_option(positional_name, argument->positional, description);
    verb.add_option(flag_name, argument->flag, description + " (legacy spelling of " + positional_name + ")");
    return argument;
}

}  // namespace brix::commands::secrets
