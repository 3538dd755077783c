#include "client/dbfs_reader.hpp"

#include <algorithm>
#include <condition_variable>
#include <exception>
#include <map>
#include <mutex>
#include <thread>
#include <tuple>
#include <vector>

#include "api/base64.hpp"
#include "api/json_body.hpp"

namespace brix::client {
namespace {

using api::Json;
using api::Method;

// Blocks read (in flight or decoded, waiting for their turn) ahead of the writer, at most: a
// reader that runs further ahead waits. This bounds the memory a download holds.
constexpr std::int64_t kBlocksAhead = kReadsInFlight;
// A full answer: the base64 of a block and a few bytes of JSON around it.
constexpr std::size_t kAnswerBytes = (kReadBlockBytes + 2) / 3 * 4 + 256;

api::Request read_request(const std::string& path, std::int64_t offset) {
    return {Method::Get, "/api/2.0/dbfs/read",
            {{"path", path}, {"offset", std::to_string(offset)}, {"length", std::to_string(kReadBlockBytes)}}, nullptr};
}

// The blocks of one download after the first: readers claim block numbers in order, the writer
// (the calling thread) writes them in order as they arrive.
class BlockQueue {
public:
    BlockQueue(std::int64_t first_offset, std::int64_t end_offset) : first_(first_offset), end_(end_offset) {}

    // The next block to read, or nullopt when there is none or the download has stopped.
    std::optional<std::int64_t> claim() {
        std::unique_lock lock(mutex_);
        changed_.wait(lock, [&] { return stopped_ || next_ >= blocks() || next_ < written_ + kBlocksAhead; });
        if (stopped_ || next_ >= blocks()) return std::nullopt;
        return next_++;
    }

    // Answers are read into buffers that are used again once their block is written: the same
    // few megabytes serve the whole download, instead of fresh pages (a fault each) per block.
    std::string spare_buffer() {
        std::lock_guard lock(mutex_);
        if (spare_.empty()) {
            std::string buffer;
            buffer.reserve(kAnswerBytes);
            return buffer;
        }
        auto buffer = std::move(spare_.back());
        spare_.pop_back();
        return buffer;
    }

    void recycle(std::string buffer) {
        std::lock_guard lock(mutex_);
        spare_.push_back(std::move(buffer));
    }

    void deliver(std::int64_t block, DbfsBlock data) {
        std::lock_guard lock(mutex_);
        ready_.emplace(block, std::move(data));
        changed_.notify_all();
    }

    // A reader failed on `block` (-1: before it claimed one). The blocks before it are still
    // written, as a read one after the other would have; the error comes after them.
    void fail(std::int64_t block, std::exception_ptr error) {
        std::lock_guard lock(mutex_);
        if (!error_ || block < error_block_) {
            error_ = error;
            error_block_ = block;
        }
        stopped_ = true;
        changed_.notify_all();
    }

    void stop() {
        std::lock_guard lock(mutex_);
        stopped_ = true;
        changed_.notify_all();
    }

    // Waits for the block to write next; nullopt once all are written. Throws a reader's error
    // when its turn comes.
    std::optional<DbfsBlock> next_to_write() {
        std::unique_lock lock(mutex_);
        auto failed = [&] { return error_ && written_ >= error_block_; };
        changed_.wait(lock, [&] { return failed() || written_ >= blocks() || ready_.count(written_); });
        if (!ready_.count(written_) && failed()) std::rethrow_exception(error_);
        if (written_ >= blocks()) return std::nullopt;
        auto found = ready_.find(written_);
        auto block = std::move(found->second);
        ready_.erase(found);
        ++written_;
        changed_.notify_all();
        return block;
    }

    std::int64_t offset_of(std::int64_t block) const { return first_ + block * kReadBlockBytes; }
    std::int64_t expected_bytes(std::int64_t block) const { return std::min(kReadBlockBytes, end_ - offset_of(block)); }

private:
    std::int64_t blocks() const { return end_ <= first_ ? 0 : (end_ - first_ + kReadBlockBytes - 1) / kReadBlockBytes; }

    const std::int64_t first_;
    const std::int64_t end_;
    std::mutex mutex_;
    std::condition_variable changed_;
    std::int64_t next_ = 0;
    std::int64_t written_ = 0;
    std::map<std::int64_t, DbfsBlock> ready_;
    std::vector<std::string> spare_;
    std::exception_ptr error_;
    std::int64_t error_block_ = 0;
    bool stopped_ = false;
};

// Writes the blocks of [offset, end) with up to kReadsInFlight readers; returns where writing
// stopped and how many bytes the last block read had. A block shorter than asked is the end of
// the file (it shrank since dbfs/get-status): nothing after it is written.
std::pair<std::int64_t, std::int64_t> read_in_parallel(const DbfsConnections& connections, const std::string& path,
                                               std::int64_t offset, std::int64_t end, api::ByteSink& sink) {
    BlockQueue queue(offset, end);
    auto blocks = (end - offset + kReadBlockBytes - 1) / kReadBlockBytes;
    auto readers = static_cast<int>(std::min<std::int64_t>(kReadsInFlight, blocks));
    std::vector<std::thread> threads;
    for (int i = 0; i < readers; ++i) {
        threads.emplace_back([&, i] {
            std::int64_t claimed = -1;
            try {
                auto get = i == 0 ? connections.own : connections.connect();
                while (auto block = queue.claim()) {
                    claimed = *block;
                    auto body = queue.spare_buffer();
                    get(read_request(path, queue.offset_of(claimed)), body);
                    queue.deliver(claimed, parse_dbfs_read_answer(std::move(body), path));
                }
            } catch (...) {
                queue.fail(claimed, std::current_exception());
            }
        });
    }
    auto position = offset;
    std::int64_t last = 0;
    try {
        for (std::int64_t block = 0;; ++block) {
            auto data = queue.next_to_write();
            if (!data) break;
            sink.write(data->bytes.data(), data->bytes.size());
            position += data->bytes_read;
            last = data->bytes_read;
            queue.recycle(std::move(data->bytes));
            if (last < queue.expected_bytes(block)) break;
        }
    } catch (...) {
        queue.stop();
        for (auto& thread : threads) thread.join();
        throw;
    }
    queue.stop();
    for (auto& thread : threads) thread.join();
    return {position, last};
}

}  // namespace

// The flat-object fast path first: the base64 is decoded where it lies, into the start of the
// same buffer, which becomes the block's bytes.
DbfsBlock parse_dbfs_read_answer(std::string body, const std::string& path) {
    std::optional<std::int64_t> count;
    std::optional<std::size_t> decoded;
    if (auto fields = api::parse_flat_fields(body)) {
        for (const auto& field : *fields) {
            if (field.key == "bytes_read" && field.scalar.is_number_integer()) count = field.scalar.get<std::int64_t>();
            if (field.key == "data" && field.string) decoded = api::base64_decode_into(*field.string, body.data());
        }
    } else {
        Json json;
        try {
            json = api::parse_json(body);
        } catch (const Json::exception&) {
            throw api::ApiError(500, "INTERNAL_ERROR", "the server sent an unreadable dbfs/read answer for " + path);
        }
        if (json.is_object() && json.contains("bytes_read") && json["bytes_read"].is_number_integer())
            count = json["bytes_read"].get<std::int64_t>();
        if (json.is_object() && json.contains("data") && json["data"].is_string()) {
            const auto& text = json["data"].get_ref<const std::string&>();
            body.resize(api::base64_decoded_room(text.size()));
            decoded = api::base64_decode_into(text, body.data());
        }
    }
    if (!decoded || !count) throw api::ApiError(500, "INTERNAL_ERROR", "the server sent an invalid dbfs/read answer for " + path);
    // A block that claims bytes it does not carry would move the offset past data never received.
    if (*decoded != static_cast<std::size_t>(*count))
        throw api::ApiError(500, "INTERNAL_ERROR", "the server said it read " + std::to_string(*count) + " bytes of " + path +
                                                       " but sent " + std::to_string(*decoded));
    body.resize(*decoded);
    return {*count, std::move(body)};
}

// The first block is read alone, so a missing file or a folder fails as it always did and a
// small file costs one request. After a full first block, the file's size says which blocks
// remain. A block shorter than 1 MB ends the file (dbfs/read reads up to the end of the file);
// after a full last block (the file is a multiple of 1 MB long, or grew) reading goes on, one
// block at a time, until one is short.
void read_dbfs_file(const DbfsConnections& connections, const std::string& path, std::int64_t offset, api::ByteSink& sink) {
    auto read_one = [&](std::int64_t at) {
        std::string body;
        connections.own(read_request(path, at), body);
        auto block = parse_dbfs_read_answer(std::move(body), path);
        sink.write(block.bytes.data(), block.bytes.size());
        return block.bytes_read;
    };
    auto read = read_one(offset);
    if (read < kReadBlockBytes) return;
    offset += read;
    auto size = connections.api.call(Method::Get, "/api/2.0/dbfs/get-status", {{"path", path}}).value("file_size", std::int64_t{0});
    if (size > offset) {
        std::tie(offset, read) = read_in_parallel(connections, path, offset, size, sink);
        if (read < kReadBlockBytes) return;
    }
    while ((read = read_one(offset)) == kReadBlockBytes) offset += read;
}

}  // namespace brix::client
