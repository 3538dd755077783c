#pragma once
// Personal access tokens as Databricks manages them (/api/2.0/token/*). On the local engine they
// are what `brix serve` accepts; only their SHA-256 hashes are stored.

#include <cstdint>
#include <optional>
#include <string>

#include "api/api.hpp"
#include "engine/store/engine_root.hpp"

namespace brix::engine::identity {

class TokenService {
public:
    explicit TokenService(store::EngineRoot& root) : root_(root) {}

    // {"token_value", "token_info"}; lifetime_seconds <= 0 means no expiry.
    api::Json create(const std::string& comment, std::int64_t lifetime_seconds);
    // Stores a token value chosen elsewhere (brix serve --token-file), unless it is known already.
    void adopt(const std::string& value, const std::string& comment);
    api::Json list();
    void revoke(const std::string& token_id);
    bool accepts(const std::string& value);
    bool any();

private:
    store::EngineRoot& root_;
    // The last value checked and its hash: a client sends the same token with every request, and
    // hashing it costs more than looking the hash up. Only the hash is kept, never the answer, so
    // a revoked or expired token is refused at once.
    std::string last_value_;
    std::string last_hash_;
};

}  // namespace brix::engine::identity
