#include "engine/permissions/objects.hpp"

#include <charconv>

#include "engine/clusters/service.hpp"
#include "engine/identity/current_user.hpp"
#include "engine/jobs/service.hpp"
#include "engine/repos/service.hpp"
#include "engine/store/paths.hpp"
#include "engine/workspace/store.hpp"

namespace brix::engine::permissions {
namespace {

const std::vector<std::string> kWorkspaceLevels = {"CAN_READ", "CAN_RUN", "CAN_EDIT", "CAN_MANAGE"};
const std::vector<std::string> kWorkspaceDescriptions = {"Can view the object", "Can view and run the object",
                                                         "Can view, run and edit the object",
                                                         "Can view, run, edit and manage permissions of the object"};

const std::vector<ObjectType> kTypes = {
    {"jobs", "job", {"CAN_VIEW", "CAN_MANAGE_RUN", "IS_OWNER", "CAN_MANAGE"},
     {"Can view the job and its runs", "Can view, run and cancel runs of the job", "Owns the job: runs run as this user",
      "Can view, run, edit, delete and manage permissions of the job"}},
    {"clusters", "cluster", {"CAN_ATTACH_TO", "CAN_RESTART", "CAN_MANAGE"},
     {"Can attach to the cluster", "Can attach to, start, restart and terminate the cluster",
      "Can edit, resize, delete and manage permissions of the cluster"}},
    {"notebooks", "notebook", kWorkspaceLevels, kWorkspaceDescriptions},
    {"directories", "directory", kWorkspaceLevels, kWorkspaceDescriptions},
    {"files", "file", kWorkspaceLevels, kWorkspaceDescriptions},
    {"repos", "repo", kWorkspaceLevels, kWorkspaceDescriptions},
};

api::ApiError no_such_object(const ObjectType& type, const std::string& id) {
    return api::ApiError(404, "RESOURCE_DOES_NOT_EXIST",
                         std::string(1, static_cast<char>(std::toupper(type.object_type[0]))) + type.object_type.substr(1) +
                             " " + id + " does not exist.");
}

std::optional<std::int64_t> number_of(const std::string& id) {
    std::int64_t value = 0;
    auto [end, error] = std::from_chars(id.data(), id.data() + id.size(), value);
    if (error != std::errc() || end != id.data() + id.size() || value <= 0) return std::nullopt;
    return value;
}

// The folders above a workspace object, nearest first, as ACL holders: their entries are
// inherited.
std::vector<AclHolder> folders_above(workspace::WorkspaceStore& store, std::string path) {
    std::vector<AclHolder> folders;
    while (path != "/") {
        path = store::parent_path(path);
        if (path == "/") break;
        if (auto folder = store.find(path)) {
            auto id = std::to_string(folder->object_id);
            folders.push_back(AclHolder{"directories", id, "/directories/" + id});
        }
    }
    return folders;
}

GuardedObject workspace_object(store::EngineRoot& root, const ObjectType& type, const std::string& id) {
    auto number = number_of(id);
    workspace::WorkspaceStore store(root);
    auto row = number ? store.find_by_id(*number) : std::nullopt;
    static const std::pair<const char*, const char*> kKinds[] = {
        {"notebooks", "NOTEBOOK"}, {"directories", "DIRECTORY"}, {"files", "FILE"}};
    bool fits = false;
    for (const auto& [url_type, object_type] : kKinds) fits = fits || (type.url_type == url_type && row && row->object_type == object_type);
    if (!fits) throw no_such_object(type, id);
    auto key = std::to_string(row->object_id);
    return GuardedObject{&type, AclHolder{type.url_type, key, "/" + type.url_type + "/" + key}, "",
                         folders_above(store, row->path)};
}

}  // namespace

const ObjectType* find_object_type(const std::string& url_type) {
    for (const auto& type : kTypes)
        if (type.url_type == url_type) return &type;
    return nullptr;
}

GuardedObject resolve_object(store::EngineRoot& root, const ObjectType& type, const std::string& id) {
    GuardedObject object{&type, AclHolder{type.url_type, id, "/" + type.url_type + "/" + id}, "", {}};
    try {
        if (type.url_type == "jobs") {
            auto number = number_of(id);
            if (!number) throw no_such_object(type, id);
            object.creator = jobs::JobsService(root).get(*number).value("creator_user_name", "");
            object.self = AclHolder{type.url_type, std::to_string(*number), "/jobs/" + std::to_string(*number)};
        } else if (type.url_type == "clusters") {
            object.creator = clusters::ClusterService(root).get(id).value("creator_user_name", "");
        } else if (type.url_type == "repos") {
            auto number = number_of(id);
            if (!number) throw no_such_object(type, id);
            repos::RepoService(root).get(*number);
            object.self = AclHolder{type.url_type, std::to_string(*number), "/repos/" + std::to_string(*number)};
        } else {
            return workspace_object(root, type, id);
        }
    } catch (const api::ApiError& error) {
        if (error.http_status() == 404 || error.error_code() == "INVALID_PARAMETER_VALUE") throw no_such_object(type, id);
        throw;
    }
    return object;
}

}  // namespace brix::engine::permissions
