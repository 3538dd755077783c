#include <catch2/catch.hpp>

#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "commands/local_files.hpp"

using namespace brix::commands;
namespace stdfs = std::filesystem;

namespace {

struct TempFolder {
    stdfs::path path;
    TempFolder() {
        auto pattern = (stdfs::temp_directory_path() / "brix-local-files-XXXXXX").string();
        if (!mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed");
        path = pattern;
    }
    ~TempFolder() {
        std::error_code ignored;
        stdfs::remove_all(path, ignored);
    }
};

std::string contents(const stdfs::path& file) {
    std::ifstream in(file, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

void write_through(const stdfs::path& target, const std::string& text, LocalOverwrite overwrite = LocalOverwrite::Allowed) {
    LocalFileWriter writer(target);
    writer.sink().write(text.data(), text.size());
    writer.commit(overwrite);
}

}  // namespace

TEST_CASE("a local target is classified after its symbolic links are followed", "[local_files]") {
    TempFolder dir;
    auto at = [&](const char* name) { return dir.path / name; };
    std::ofstream(at("file")) << "x";
    stdfs::create_directory(at("folder"));
    REQUIRE(::mkfifo(at("fifo").c_str(), 0600) == 0);
    stdfs::create_symlink("file", at("to-file"));
    stdfs::create_symlink("fifo", at("to-fifo"));
    stdfs::create_symlink("nowhere", at("dangling"));
    CHECK(local_target_kind(at("missing")) == LocalTargetKind::Missing);
    CHECK(local_target_kind(at("missing/deeper")) == LocalTargetKind::Missing);
    CHECK(local_target_kind(at("file")) == LocalTargetKind::File);
    CHECK(local_target_kind(at("to-file")) == LocalTargetKind::File);
    CHECK(local_target_kind(at("folder")) == LocalTargetKind::Directory);
    CHECK(local_target_kind(at("fifo")) == LocalTargetKind::Stream);
    CHECK(local_target_kind(at("to-fifo")) == LocalTargetKind::Stream);
    CHECK(local_target_kind(at("dangling")) == LocalTargetKind::Dangling);
    // an open descriptor is one, whatever it leads to (here a regular file)
    CHECK(local_target_kind("/proc/self/fd/" + std::to_string(STDERR_FILENO)) != LocalTargetKind::File);
}

TEST_CASE("a replaced file keeps its mode, its links and the link that names it", "[local_files]") {
    TempFolder dir;
    auto real = dir.path / "real", link = dir.path / "link", hard = dir.path / "hard";
    std::ofstream(real) << "old";
    ::chmod(real.c_str(), 0640);
    stdfs::create_symlink("real", link);
    write_through(link, "new");
    CHECK(stdfs::is_symlink(link));
    CHECK(contents(real) == "new");
    CHECK((stdfs::status(real).permissions() & stdfs::perms::all) ==
          (stdfs::perms::owner_read | stdfs::perms::owner_write | stdfs::perms::group_read));
    stdfs::create_hard_link(real, hard);
    write_through(hard, "shared");
    CHECK(stdfs::hard_link_count(real) == 2);
    CHECK(contents(real) == "shared");
}

TEST_CASE("a new file appears only on commit, and Forbidden never replaces", "[local_files]") {
    TempFolder dir;
    auto target = dir.path / "sub" / "new.txt";
    {
        LocalFileWriter writer(target);
        writer.sink().write("abc", 3);
        CHECK_FALSE(stdfs::exists(target));
    }  // never committed: nothing left
    CHECK_FALSE(stdfs::exists(target));
    write_through(target, "first", LocalOverwrite::Forbidden);
    CHECK(contents(target) == "first");
    CHECK_THROWS_WITH(write_through(target, "second", LocalOverwrite::Forbidden),
                      target.string() + " already exists; use --overwrite to replace it");
    CHECK(contents(target) == "first");
    CHECK_THROWS_WITH(LocalFileWriter(dir.path / "sub"), (dir.path / "sub").string() + " is a directory");
    stdfs::create_symlink("nowhere", dir.path / "dangling");
    CHECK_THROWS_WITH(LocalFileWriter(dir.path / "dangling"),
                      "not writing through the dangling symbolic link " + (dir.path / "dangling").string());
    CHECK_FALSE(stdfs::exists(dir.path / "nowhere"));
}
