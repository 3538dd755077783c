#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>

#include "api/base64.hpp"
#include "api/streams.hpp"
#include "client/dbfs_reader.hpp"

using namespace brix;
using brix::client::kReadBlockBytes;

namespace {

// A DBFS file served as dbfs/read answers would be, counting the requests and how many run at
// once. With `hold_until_in_flight`, each read waits until that many reads are under way (or no
// more can come), so the test sees the reader keep them in flight without depending on timing.
class FakeDbfs : public api::Api {
public:
    explicit FakeDbfs(std::string content) : content_(std::move(content)), status_size_(content_.size()) {}

    api::Json call(const api::Request& request) override {
        REQUIRE(request.path == "/api/2.0/dbfs/get-status");
        ++status_calls;
        return {{"path", request.param("path").value_or("")}, {"is_dir", false}, {"file_size", status_size_}};
    }
    api::Json upload(const api::Request&, api::ByteSource&) override { FAIL("no upload expected"); return {}; }
    void download(const api::Request&, api::ByteSink&) override { FAIL("no download expected"); }

    std::string read(const api::Request& request) {
        REQUIRE(request.path == "/api/2.0/dbfs/read");
        auto offset = std::stoll(request.param("offset").value_or("0"));
        auto length = std::stoll(request.param("length").value_or("0"));
        REQUIRE(length == kReadBlockBytes);
        {
            std::unique_lock lock(mutex_);
            ++reads;
            int now = ++in_flight_;
            most_in_flight = std::max(most_in_flight, now);
            changed_.notify_all();
            // Blocks beyond the end are never asked for in parallel, so the last ones cannot wait
            // for a full house: wait only while more reads than this are still to come.
            auto remaining = (static_cast<std::int64_t>(content_.size()) - offset + kReadBlockBytes - 1) / kReadBlockBytes;
            auto wanted = std::min<std::int64_t>(hold_until_in_flight, remaining);
            if (offset > 0 && !changed_.wait_for(lock, std::chrono::seconds(20), [&] { return in_flight_ >= wanted || released_; }))
                released_ = true;  // never reached: let everything go, the counts will show it
            if (in_flight_ >= wanted) released_ = true;
            --in_flight_;
        }
        if (fail_at_offset && *fail_at_offset == offset) throw api::ApiError(503, "TEMPORARILY_UNAVAILABLE", "injected");
        auto size = static_cast<std::int64_t>(content_.size());
        auto bytes = offset >= size ? std::string() : content_.substr(offset, std::min(length, size - offset));
        if (shrink_at_offset && offset >= *shrink_at_offset) bytes = bytes.substr(0, bytes.size() / 2);
        return "{\"bytes_read\": " + std::to_string(bytes.size()) + ", \"data\": \"" + api::base64_encode(bytes) + "\"}";
    }

    client::DbfsConnections connections() {
        auto get = [this](const api::Request& request, std::string& body) { body = read(request); };
        return {*this, get, [get] { return client::RawGet(get); }};
    }

    std::atomic<int> reads{0};
    int status_calls = 0;
    int most_in_flight = 0;
    int hold_until_in_flight = 1;
    std::optional<std::int64_t> fail_at_offset;
    std::optional<std::int64_t> shrink_at_offset;

private:
    std::string content_;
    std::int64_t status_size_;
    std::mutex mutex_;
    std::condition_variable changed_;
    int in_flight_ = 0;
    bool released_ = false;
};

std::string pattern(std::size_t size) {
    std::string bytes(size, '\0');
    for (std::size_t i = 0; i < size; ++i) bytes[i] = static_cast<char>((i * 7919 + i / 65536) & 0xFF);
    return bytes;
}

}  // namespace

TEST_CASE("a dbfs/read answer is decoded straight from the body, or through the JSON parser") {
    auto block = client::parse_dbfs_read_answer(R"({"bytes_read": 5, "data": "aGVsbG8="})", "/f");
    CHECK(block.bytes_read == 5);
    CHECK(block.bytes == "hello");
    block = client::parse_dbfs_read_answer(R"({ "data" : "aGk=" , "bytes_read":2 })", "/f");
    CHECK(block.bytes == "hi");
    CHECK(block.bytes_read == 2);
    block = client::parse_dbfs_read_answer(R"({"bytes_read": 3, "data": "\/\/\/\/"})", "/f");  // escaped slashes
    CHECK(block.bytes == std::string("\xff\xff\xff"));
    CHECK_THROWS_AS(client::parse_dbfs_read_answer(R"({"bytes_read": 3, "data": "not base64!"})", "/f"), api::ApiError);
    CHECK_THROWS_AS(client::parse_dbfs_read_answer("<html>", "/f"), api::ApiError);
    CHECK_THROWS_WITH(client::parse_dbfs_read_answer(R"({"bytes_read": 9, "data": "aGk="})", "/f"),
                      "the server said it read 9 bytes of /f but sent 2");
}

TEST_CASE("a small file is one read, as before") {
    FakeDbfs dbfs(pattern(1000));
    api::StringSink sink;
    client::read_dbfs_file(dbfs.connections(), "/small", 0, sink);
    CHECK(sink.bytes() == pattern(1000));
    CHECK(dbfs.reads == 1);
    CHECK(dbfs.status_calls == 0);
}

TEST_CASE("a large file is read with 8 reads in flight and written in order") {
    auto content = pattern(20 * kReadBlockBytes + 12345);
    FakeDbfs dbfs(content);
    dbfs.hold_until_in_flight = client::kReadsInFlight;
    api::StringSink sink;
    client::read_dbfs_file(dbfs.connections(), "/large", 0, sink);
    CHECK(sink.bytes() == content);
    CHECK(dbfs.most_in_flight == client::kReadsInFlight);
    CHECK(dbfs.reads == 21);  // the first alone, then 20 blocks: the last is short, so no read at the end
    CHECK(dbfs.status_calls == 1);
}

TEST_CASE("a file of whole blocks is read until a read comes back empty") {
    auto content = pattern(4 * kReadBlockBytes);
    FakeDbfs dbfs(content);
    api::StringSink sink;
    client::read_dbfs_file(dbfs.connections(), "/whole", 0, sink);
    CHECK(sink.bytes() == content);
    CHECK(dbfs.reads == 5);
}

TEST_CASE("reading from an offset gives the rest of the file") {
    auto content = pattern(3 * kReadBlockBytes + 7);
    FakeDbfs dbfs(content);
    api::StringSink sink;
    client::read_dbfs_file(dbfs.connections(), "/offset", 1000, sink);
    CHECK(sink.bytes() == content.substr(1000));
}

TEST_CASE("a failed read fails the download, after the blocks before it") {
    auto content = pattern(12 * kReadBlockBytes);
    FakeDbfs dbfs(content);
    dbfs.fail_at_offset = 6 * kReadBlockBytes;
    api::StringSink sink;
    CHECK_THROWS_WITH(client::read_dbfs_file(dbfs.connections(), "/failing", 0, sink), "injected");
    CHECK(sink.bytes() == content.substr(0, static_cast<std::size_t>(6 * kReadBlockBytes)));
}

TEST_CASE("a file that shrank while it was read ends at its first short block") {
    auto content = pattern(10 * kReadBlockBytes);
    FakeDbfs dbfs(content);
    dbfs.shrink_at_offset = 4 * kReadBlockBytes;
    api::StringSink sink;
    client::read_dbfs_file(dbfs.connections(), "/shrinking", 0, sink);
    CHECK(sink.bytes() == content.substr(0, static_cast<std::size_t>(4 * kReadBlockBytes + kReadBlockBytes / 2)));
}

TEST_CASE("base64 decodes long text, with white space anywhere") {
    auto bytes = pattern(100'003);
    auto text = api::base64_encode(bytes);
    CHECK(api::base64_decode(text) == bytes);
    text.insert(50'001, "\r\n");
    CHECK(api::base64_decode(text) == bytes);
    text[70'000] = '*';
    CHECK_FALSE(api::base64_decode(text).has_value());
    CHECK(api::base64_decode("aGVsbG8") == std::string("hello"));  // unpadded: 7 characters, 5 bytes
}

TEST_CASE("base64 decodes in place") {
    auto bytes = pattern(3000);
    auto buffer = "{\"data\": \"" + api::base64_encode(bytes) + "\"}";
    std::string_view text(buffer.data() + 10, buffer.size() - 12);
    auto size = api::base64_decode_into(text, buffer.data());
    REQUIRE(size == bytes.size());
    CHECK(buffer.substr(0, *size) == bytes);
}
