#include "engine/identity/tokens.hpp"

#include "engine/store/random_ids.hpp"
#include "engine/store/sha256.hpp"

namespace brix::engine::identity {
namespace {

using api::Json;

// Compares every byte whatever the first difference, so the time taken says nothing about how
// much of a guessed token matched the last one checked.
bool same_in_constant_time(const std::string& a, const std::string& b) {
    if (a.size() != b.size()) return false;
    unsigned char difference = 0;
    for (std::size_t i = 0; i < a.size(); ++i) difference |= static_cast<unsigned char>(a[i] ^ b[i]);
    return difference == 0;
}

Json token_info(const std::string& id, const std::string& comment, std::int64_t created, std::int64_t expiry) {
    return Json{{"token_id", id}, {"creation_time", created}, {"expiry_time", expiry}, {"comment", comment}};
}

}  // namespace

Json TokenService::create(const std::string& comment, std::int64_t lifetime_seconds) {
    auto value = "dapi" + store::random_hex(32);
    auto id = store::random_hex(16);
    auto created = store::now_ms();
    auto expiry = lifetime_seconds > 0 ? created + lifetime_seconds * 1000 : -1;
    root_.db().write_transaction([&] {
        root_.db()
            .prepare("INSERT INTO tokens (token_id, token_hash, comment, creation_time, expiry_time) VALUES (?, ?, ?, ?, ?)")
            .bind(1, id)
            .bind(2, store::sha256_hex(value))
            .bind(3, comment)
            .bind(4, created)
            .bind(5, expiry)
            .run();
    });
    return Json{{"token_value", value}, {"token_info", token_info(id, comment, created, expiry)}};
}

void TokenService::adopt(const std::string& value, const std::string& comment) {
    root_.db().write_transaction([&] {
        root_.db()
            .prepare("INSERT OR IGNORE INTO tokens (token_id, token_hash, comment, creation_time) VALUES (?, ?, ?, ?)")
            .bind(1, store::random_hex(16))
            .bind(2, store::sha256_hex(value))
            .bind(3, comment)
            .bind(4, store::now_ms())
            .run();
    });
}

Json TokenService::list() {
    auto stmt = root_.db().prepare("SELECT token_id, comment, creation_time, expiry_time FROM tokens ORDER BY creation_time");
    Json infos = Json::array();
    while (stmt.step()) infos.push_back(token_info(stmt.text(0), stmt.text(1), stmt.integer(2), stmt.integer(3)));
    Json result = Json::object();
    if (!infos.empty()) result["token_infos"] = std::move(infos);
    return result;
}

void TokenService::revoke(const std::string& token_id) {
    root_.db().write_transaction([&] {
        root_.db().prepare("DELETE FROM tokens WHERE token_id = ?").bind(1, token_id).run();
        if (root_.db().changes() == 0) throw api::not_found("Token " + token_id + " does not exist.");
    });
}

// The lookup is by hash, so its timing says nothing about how close a wrong token came.
bool TokenService::accepts(const std::string& value) {
    if (value.empty()) return false;
    if (!same_in_constant_time(value, last_value_)) {
        last_hash_ = store::sha256_hex(value);
        last_value_ = value;
    }
    auto stmt = root_.db().prepare("SELECT expiry_time FROM tokens WHERE token_hash = ?");
    stmt.bind(1, last_hash_);
    if (!stmt.step()) return false;
    auto expiry = stmt.integer(0);
    return expiry < 0 || expiry > store::now_ms();
}

bool TokenService::any() {
    auto stmt = root_.db().prepare("SELECT 1 FROM tokens LIMIT 1");
    return stmt.step();
}

}  // namespace brix::engine::identity
