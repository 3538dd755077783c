#include "engine/identity/current_user.hpp"

#include <cstdlib>

namespace brix::engine::identity {

std::string current_user() {
    const char* user = std::getenv("USER");
    return user && *user ? user : "local";
}

}  // namespace brix::engine::identity
