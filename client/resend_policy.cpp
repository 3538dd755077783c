#include "client/resend_policy.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <string_view>

namespace brix::client {
namespace {

using api::Json;
using api::Method;

// The path after /api/2.x/, so a rule covers every version of a route ("jobs/create").
std::string_view route_of(std::string_view path) {
    constexpr std::string_view prefix = "/api/2.";
    if (path.substr(0, prefix.size()) != prefix) return path;
    auto slash = path.find('/', prefix.size());
    return slash == std::string_view::npos ? std::string_view{} : path.substr(slash + 1);
}

// POSTs that set a state: sent twice, they leave what one leaves and answer the same.
constexpr std::array<std::string_view, 14> kStateSettingPosts = {
    "workspace/mkdirs", "dbfs/mkdirs",    "dbfs/delete",         "jobs/reset",          "jobs/update",
    "jobs/runs/cancel", "jobs/runs/cancel-all", "clusters/edit", "clusters/start",      "clusters/delete",
    "clusters/pin",     "clusters/unpin", "secrets/put",         "secrets/acls/put"};

bool overwrites(const Json& body) {
    auto found = body.is_object() ? body.find("overwrite") : body.end();
    return found != body.end() && (*found == true || *found == "true");
}

bool safe_to_resend(const api::Request& request) {
    switch (request.method) {
    case Method::Get:
    case Method::Head:
    case Method::Put:
    case Method::Patch:
        return true;
    case Method::Delete:
        return false;  // the second answer is a false "does not exist"
    case Method::Post:
        break;
    }
    if (request.path == "/oidc/v1/token") return true;  // a second access token simply expires unused
    if (request.body.is_object() && request.body.contains("idempotency_token")) return true;
    auto route = route_of(request.path);
    if ((route == "workspace/import" || route == "dbfs/put") && overwrites(request.body)) return true;
    return std::find(kStateSettingPosts.begin(), kStateSettingPosts.end(), route) != kStateSettingPosts.end();
}

// A value as one shell word: bare when it is plain, else in single quotes.
std::string shell_word(const std::string& text) {
    bool plain = !text.empty() && std::all_of(text.begin(), text.end(), [](unsigned char c) {
        return std::isalnum(c) || c == '/' || c == '.' || c == '_' || c == '-' || c == ':' || c == '@' || c == '=';
    });
    if (plain) return text;
    std::string quoted = "'";
    for (char c : text) quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return quoted + "'";
}

std::string field(const api::Request& request, const char* key) {
    if (!request.body.is_object()) return "";
    auto found = request.body.find(key);
    if (found == request.body.end() || found->is_null()) return "";
    return found->is_string() ? found->get<std::string>() : found->dump();
}

// `brix <command>` followed by the request's field `key` as an argument, when the request has it.
std::string with_field(const api::Request& request, std::string command, const char* key, const char* prefix = "") {
    auto value = field(request, key);
    return value.empty() ? command : command + " " + shell_word(prefix + value);
}

std::string check_command(const api::Request& request) {
    auto route = route_of(request.path);
    if (request.method == Method::Delete) {
        if (route.substr(0, 6) == "repos/") return "brix repos get " + shell_word(std::string(route.substr(6)));
        for (std::string_view files : {"fs/files", "fs/directories"})
            if (route.substr(0, files.size()) == files) return "brix fs ls " + shell_word(std::string(route.substr(files.size())));
        return "";
    }
    if (route == "jobs/create") return with_field(request, "brix jobs list --name", "name");
    if (route == "jobs/delete") return with_field(request, "brix jobs get", "job_id");
    if (route == "jobs/runs/delete" || route == "jobs/runs/repair") return with_field(request, "brix jobs get-run", "run_id");
    if (route == "clusters/create") return "brix clusters list";
    if (route.substr(0, 9) == "clusters/") return with_field(request, "brix clusters get", "cluster_id");
    if (route.substr(0, 6) == "token/") return "brix tokens list";
    if (route.substr(0, 15) == "secrets/scopes/") return "brix secrets list-scopes";
    if (route == "secrets/acls/delete") return with_field(request, "brix secrets list-acls", "scope");
    if (route.substr(0, 8) == "secrets/") return with_field(request, "brix secrets list-secrets", "scope");
    if (route == "repos") return "brix repos list";
    if (route.substr(0, 10) == "workspace/") return with_field(request, "brix workspace get-status", "path");
    if (route == "dbfs/move") return with_field(request, "brix fs ls", "destination_path", "dbfs:");
    if (route.substr(0, 5) == "dbfs/") return with_field(request, "brix fs ls", "path", "dbfs:");
    return "";
}

}  // namespace

bool may_resend(const api::Request& request, Delivery delivery) {
    return delivery != Delivery::MaybeProcessed || safe_to_resend(request);
}

std::string lost_answer_message(const api::Request& request) {
    auto command = check_command(request);
    return "the connection was lost after the request was sent; it may have been applied — check with " +
           (command.empty() ? "the matching get or list command" : command);
}

}  // namespace brix::client
