#include "commands/configure/config_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <utility>

#include "cli/output.hpp"
#include "cli/strings.hpp"

namespace brix::commands {
namespace {

namespace stdfs = std::filesystem;

[[noreturn]] void fail(const std::string& what, const stdfs::path& path, int error) {
    throw cli::ConfigError(what + " " + path.string() + ": " + std::strerror(error));
}

// A file descriptor that is closed, and a temporary file that is removed, unless committed.
class TempFile {
public:
    explicit TempFile(const stdfs::path& target) : name_((target.parent_path() / ("." + target.filename().string() + ".XXXXXX")).string()) {
        fd_ = ::mkstemp(name_.data());  // mode 0600
        if (fd_ < 0) fail("cannot create a temporary file for", target, errno);
    }
    ~TempFile() {
        if (fd_ >= 0) ::close(fd_);
        if (!committed_) ::unlink(name_.c_str());
    }
    TempFile(const TempFile&) = delete;
    TempFile& operator=(const TempFile&) = delete;

    void write_all(const std::string& text) {
        std::size_t done = 0;
        while (done < text.size()) {
            auto n = ::write(fd_, text.data() + done, text.size() - done);
            if (n < 0 && errno == EINTR) continue;
            if (n < 0) fail("cannot write", name_, errno);
            done += static_cast<std::size_t>(n);
        }
        if (::fchmod(fd_, 0600) != 0 || ::fsync(fd_) != 0) fail("cannot write", name_, errno);
        if (::close(std::exchange(fd_, -1)) != 0) fail("cannot write", name_, errno);
    }

    void rename_to(const stdfs::path& target) {
        if (::rename(name_.c_str(), target.c_str()) != 0) fail("cannot replace", target, errno);
        committed_ = true;
    }

private:
    std::string name_;
    int fd_ = -1;
    bool committed_ = false;
};

void sync_folder(const stdfs::path& folder) {
    int fd = ::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) return;
    ::fsync(fd);
    ::close(fd);
}

}  // namespace

std::optional<std::string> process_environment(std::string_view name) {
    const char* value = std::getenv(std::string(name).c_str());
    if (!value) return std::nullopt;
    return std::string(value);
}

std::string home_folder() { return cli::home_folder(); }

cli::Setting configuration_file() { return cli::config_file_location(process_environment, home_folder()); }

std::string read_config_text(const std::string& path) {
    std::error_code error;
    if (!stdfs::exists(path, error)) return "";
    std::ifstream in(path, std::ios::binary);
    if (!in) fail("cannot read", path, errno);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

void write_private_file(const std::string& path, const std::string& text) {
    stdfs::path target = path;
    std::error_code error;
    if (stdfs::is_symlink(target, error)) target = stdfs::weakly_canonical(target);
    if (target.has_parent_path()) {
        stdfs::create_directories(target.parent_path(), error);
        if (error) fail("cannot create the folder of", target, error.value());
    }
    TempFile temp(target);
    temp.write_all(text);
    temp.rename_to(target);
    sync_folder(target.has_parent_path() ? target.parent_path() : stdfs::path("."));
}

void warn_if_exposed(const std::string& path) {
    struct stat info{};
    if (::stat(path.c_str(), &info) != 0 || (info.st_mode & 077) == 0) return;
    char mode[8];
    std::snprintf(mode, sizeof mode, "%04o", static_cast<unsigned>(info.st_mode & 07777));
    cli::print_warning(path + " has mode " + mode + ": other users may read its tokens; run: chmod 600 " + path);
}

}  // namespace brix::commands
