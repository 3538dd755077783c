#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>

#include "cli/config.hpp"

using namespace brix::cli;

namespace {

using Vars = std::map<std::string, std::string>;

// A throw-away home folder, so tests never read the developer's real ~/.databrickscfg.
class TempHome {
public:
    TempHome() {
        auto pattern = (std::filesystem::temp_directory_path() / "brix-config-test-XXXXXX").string();
        if (!mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed");
        path_ = pattern;
    }
    ~TempHome() {
        std::error_code ignored;
        std::filesystem::remove_all(path_, ignored);
    }
    TempHome(const TempHome&) = delete;
    TempHome& operator=(const TempHome&) = delete;

    const std::string& path() const { return path_; }

    std::string write(const std::string& relative, const std::string& text) const {
        const auto file = std::filesystem::path(path_) / relative;
        std::filesystem::create_directories(file.parent_path());
        std::ofstream(file, std::ios::binary) << text;
        return file.string();
    }

    std::string write_config(const std::string& text) const { return write(".databrickscfg", text); }

private:
    std::string path_;
};

EnvLookup env_from(Vars vars) {
    return [vars = std::move(vars)](std::string_view name) -> std::optional<std::string> {
        const auto found = vars.find(std::string(name));
        if (found == vars.end()) return std::nullopt;
        return found->second;
    };
}

ResolvedConfig resolve(const TempHome& home, Vars vars = {},
                       std::optional<std::string> profile_flag = std::nullopt) {
    return resolve_config(ConfigRequest{std::move(profile_flag), env_from(std::move(vars)), home.path()});
}

std::string resolve_error(const TempHome& home, Vars vars = {},
                          std::optional<std::string> profile_flag = std::nullopt) {
    try {
        resolve(home, std::move(vars), std::move(profile_flag));
    } catch (const ConfigError& error) {
        return error.what();
    }
    return "no error";
}

std::string parse_error(std::string_view text) {
    try {
        parse_ini(text, "/h/.databrickscfg");
    } catch (const ConfigError& error) {
        return error.what();
    }
    return "no error";
}

const std::string workspace = "https://adb-1.2.azuredatabricks.net";

}  // namespace

// --- INI parsing ---------------------------------------------------------------------------

TEST_CASE("parse_ini reads sections, keys and values with comments and blanks", "[config][ini]") {
    const auto ini = parse_ini("# leading comment\n"
                               "; another comment\n"
                               "\n"
                               "[dev]\n"
                               "  host   =   https://dev.example.com  \n"
                               "token=dapi123\n"
                               "   # indented comment\n"
                               "[prod]\n"
                               "host: https://prod.example.com\n",
                               "cfg");
    REQUIRE(ini.sections.size() == 2);
    CHECK(ini.sections[0].name == "dev");
    CHECK(ini.sections[0].entries ==
          std::vector<std::pair<std::string, std::string>>{{"host", "https://dev.example.com"},
                                                           {"token", "dapi123"}});
    CHECK(ini.sections[1].name == "prod");
    CHECK(ini.sections[1].get("host") == "https://prod.example.com");
}

TEST_CASE("parse_ini splits on the first '=' or ':' so values may contain both", "[config][ini]") {
    const auto ini = parse_ini("[p]\n"
                               "host = https://h:8443/a=b\n"
                               "password=a=b;c#d\n"
                               "url: x=y\n"
                               "empty =\n",
                               "cfg");
    const auto& section = ini.sections.at(0);
    CHECK(section.get("host") == "https://h:8443/a=b");
    CHECK(section.get("password") == "a=b;c#d");
    CHECK(section.get("url") == "x=y");
    CHECK(section.get("empty") == "");
    CHECK_FALSE(section.get("missing").has_value());
}

TEST_CASE("parse_ini keys and section names are case-sensitive", "[config][ini]") {
    const auto ini = parse_ini("[Dev]\nHost = a\nhost = b\n[dev]\nhost = c\n", "cfg");
    REQUIRE(ini.sections.size() == 2);
    CHECK(ini.find("Dev")->get("Host") == "a");
    CHECK(ini.find("Dev")->get("host") == "b");
    CHECK(ini.find("dev")->get("host") == "c");
    CHECK(ini.find("DEV") == nullptr);
}

TEST_CASE("parse_ini merges a repeated section and keeps the last value of a key", "[config][ini]") {
    const auto ini = parse_ini("[a]\nhost = one\ntoken = t1\n[b]\nx = 1\n[a]\nhost = two\nextra = e\n", "cfg");
    REQUIRE(ini.sections.size() == 2);
    const auto& a = *ini.find("a");
    CHECK(a.entries == std::vector<std::pair<std::string, std::string>>{
                           {"host", "two"}, {"token", "t1"}, {"extra", "e"}});
    CHECK(ini.find("b")->get("x") == "1");
}

TEST_CASE("parse_ini puts lines before the first section into DEFAULT", "[config][ini]") {
    const auto ini = parse_ini("host = top\n[dev]\nhost = d\n[DEFAULT]\ntoken = t\n", "cfg");
    REQUIRE(ini.sections.size() == 2);
    CHECK(ini.sections[0].name == "DEFAULT");
    CHECK(ini.sections[0].entries ==
          std::vector<std::pair<std::string, std::string>>{{"host", "top"}, {"token", "t"}});
}

TEST_CASE("parse_ini tolerates CRLF, a byte order mark and a missing final newline", "[config][ini]") {
    const auto ini = parse_ini("\xEF\xBB\xBF[dev]\r\nhost = h\r\ntoken = t", "cfg");
    REQUIRE(ini.sections.size() == 1);
    CHECK(ini.sections[0].name == "dev");
    CHECK(ini.sections[0].get("host") == "h");
    CHECK(ini.sections[0].get("token") == "t");
}

TEST_CASE("parse_ini of empty text has no sections", "[config][ini]") {
    CHECK(parse_ini("", "cfg").sections.empty());
    CHECK(parse_ini("\n\n# only comments\n", "cfg").sections.empty());
}

TEST_CASE("parse_ini reports garbage with the file name and line number", "[config][ini]") {
    CHECK(parse_error("[dev]\nhost = h\njust some words\n") ==
          "cannot parse /h/.databrickscfg line 3: expected 'key = value' or '[section]'");
    CHECK(parse_error("\r\n\r\n[dev\r\n") ==
          "cannot parse /h/.databrickscfg line 3: expected a section header like '[name]'");
    CHECK(parse_error("[ ]\n") ==
          "cannot parse /h/.databrickscfg line 1: expected a section header like '[name]'");
    CHECK(parse_error("[dev]\n = value\n") == "cannot parse /h/.databrickscfg line 2: missing key before '='");
}

// --- config file location ------------------------------------------------------------------

TEST_CASE("the config file is ~/.databrickscfg unless DATABRICKS_CONFIG_FILE says otherwise", "[config]") {
    TempHome home;
    const auto by_default = resolve(home);
    CHECK(by_default.config_file == home.path() + "/.databrickscfg");
    CHECK(by_default.settings.at("config_file").source == "default");

    const auto custom = home.write("etc/custom.cfg", "[DEFAULT]\nhost = https://from-custom\n");
    home.write_config("[DEFAULT]\nhost = https://from-home\n");
    const auto from_env = resolve(home, {{"DATABRICKS_CONFIG_FILE", custom}});
    CHECK(from_env.config_file == custom);
    CHECK(from_env.settings.at("config_file").source == "DATABRICKS_CONFIG_FILE environment variable");
    CHECK(from_env.get("host") == "https://from-custom");

    const auto with_tilde = resolve(home, {{"DATABRICKS_CONFIG_FILE", "~/etc/custom.cfg"}});
    CHECK(with_tilde.config_file == custom);
    CHECK(with_tilde.get("host") == "https://from-custom");
}

TEST_CASE("a missing config file means no profiles and the local engine", "[config]") {
    TempHome home;
    const auto config = resolve(home);
    CHECK(config.backend == Backend::Local);
    CHECK(config.profile == "");
    CHECK(config.get("host") == "");
    CHECK(config.local_root == home.path() + "/.local/share/brix");
}

TEST_CASE("a config file that does not parse is an error naming it", "[config]") {
    TempHome home;
    const auto path = home.write_config("[dev]\nhost = h\n\noops\n");
    CHECK(resolve_error(home) ==
          "cannot parse " + path + " line 4: expected 'key = value' or '[section]'");
}

TEST_CASE("a config file path that is a directory is an error", "[config]") {
    TempHome home;
    std::filesystem::create_directories(home.path() + "/.databrickscfg");
    CHECK(resolve_error(home) == "cannot read " + home.path() + "/.databrickscfg: it is a directory");
}

// --- profile selection ---------------------------------------------------------------------

namespace {

const std::string four_profiles = "[DEFAULT]\nhost = https://default\n"
                                  "[__settings__]\ndefault_profile = fallback\n"
                                  "[fallback]\nhost = https://fallback\n"
                                  "[dev]\nhost = https://dev\n"
                                  "[staging]\nhost = https://staging\n";

}  // namespace

TEST_CASE("--profile wins over every other way of choosing a profile", "[config][profile]") {
    TempHome home;
    const auto path = home.write_config(four_profiles);
    const auto config = resolve(home, {{"DATABRICKS_CONFIG_PROFILE", "staging"}}, "dev");
    CHECK(config.profile == "dev");
    CHECK(config.get("host") == "https://dev");
    CHECK(config.settings.at("profile").value == "dev");
    CHECK(config.settings.at("profile").source == "--profile flag");
    CHECK(config.settings.at("host").source == "profile 'dev' in " + path);
}

TEST_CASE("DATABRICKS_CONFIG_PROFILE comes next", "[config][profile]") {
    TempHome home;
    home.write_config(four_profiles);
    const auto config = resolve(home, {{"DATABRICKS_CONFIG_PROFILE", "staging"}});
    CHECK(config.profile == "staging");
    CHECK(config.get("host") == "https://staging");
    CHECK(config.settings.at("profile").source == "DATABRICKS_CONFIG_PROFILE environment variable");
}

TEST_CASE("[__settings__] default_profile comes before [DEFAULT]", "[config][profile]") {
    TempHome home;
    const auto path = home.write_config(four_profiles);
    const auto config = resolve(home);
    CHECK(config.profile == "fallback");
    CHECK(config.get("host") == "https://fallback");
    CHECK(config.settings.at("profile").source == "default_profile in [__settings__] of " + path);
}

TEST_CASE("[DEFAULT] is used when it has a host", "[config][profile]") {
    TempHome home;
    const auto path = home.write_config("[DEFAULT]\nhost = https://default\ntoken = t\n[dev]\nhost = https://dev\n");
    const auto config = resolve(home);
    CHECK(config.profile == "DEFAULT");
    CHECK(config.get("host") == "https://default");
    CHECK(config.get("token") == "t");
    CHECK(config.settings.at("profile").source == "[DEFAULT] of " + path + ", which has a host");
}

TEST_CASE("[DEFAULT] without a host is not used", "[config][profile]") {
    TempHome home;
    home.write_config("[DEFAULT]\ntoken = t\n[dev]\nhost = https://dev\n");
    const auto config = resolve(home);
    CHECK(config.profile == "");
    CHECK(config.get("token") == "");
    CHECK(config.settings.count("profile") == 0);
    CHECK(config.backend == Backend::Local);
}

TEST_CASE("an empty default_profile falls through to [DEFAULT]", "[config][profile]") {
    TempHome home;
    home.write_config("[__settings__]\ndefault_profile =\n[DEFAULT]\nhost = https://default\n");
    CHECK(resolve(home).profile == "DEFAULT");
}

TEST_CASE("DATABRICKS_HOST skips the default-profile fallbacks", "[config][profile]") {
    TempHome home;
    home.write_config("[DEFAULT]\nhost = https://default\ntoken = default-token\n"
                      "[__settings__]\ndefault_profile = dev\n"
                      "[dev]\nhost = https://dev\ntoken = dev-token\n");
    const auto config = resolve(home, {{"DATABRICKS_HOST", "https://env"}});
    CHECK(config.profile == "");
    CHECK(config.get("host") == "https://env");
    CHECK(config.get("token") == "");

    SECTION("but not DATABRICKS_CONFIG_PROFILE") {
        const auto named = resolve(home, {{"DATABRICKS_HOST", "https://env"}, {"DATABRICKS_CONFIG_PROFILE", "dev"}});
        CHECK(named.profile == "dev");
        CHECK(named.get("host") == "https://env");
        CHECK(named.get("token") == "dev-token");
    }
    SECTION("and a blank DATABRICKS_HOST counts as unset") {
        const auto blank = resolve(home, {{"DATABRICKS_HOST", ""}});
        CHECK(blank.profile == "dev");
        CHECK(blank.get("host") == "https://dev");
    }
}

TEST_CASE("an empty --profile counts as absent", "[config][profile]") {
    TempHome home;
    home.write_config("[DEFAULT]\nhost = https://default\n");
    CHECK(resolve(home, {}, "").profile == "DEFAULT");
}

TEST_CASE("a named profile that does not exist is an error", "[config][profile]") {
    TempHome home;
    const auto path = home.write_config("[__settings__]\ndefault_profile = gone\n[dev]\nhost = https://dev\n");
    CHECK(resolve_error(home, {}, "prod") == "profile 'prod' not found in " + path + " (selected by --profile flag)");
    CHECK(resolve_error(home, {{"DATABRICKS_CONFIG_PROFILE", "qa"}}) ==
          "profile 'qa' not found in " + path + " (selected by DATABRICKS_CONFIG_PROFILE environment variable)");
    CHECK(resolve_error(home) == "profile 'gone' not found in " + path +
                                     " (selected by default_profile in [__settings__] of " + path + ")");
    CHECK(resolve_error(home, {}, "__settings__") ==
          "profile '__settings__' not found in " + path + " (selected by --profile flag)");
    CHECK(resolve_error(home, {}, "DEV") == "profile 'DEV' not found in " + path + " (selected by --profile flag)");
}

TEST_CASE("a named profile with no config file is an error saying the file is missing", "[config][profile]") {
    TempHome home;
    CHECK(resolve_error(home, {}, "dev") ==
          "profile 'dev' not found: " + home.path() + "/.databrickscfg does not exist (selected by --profile flag)");
}

// --- attribute precedence ------------------------------------------------------------------

TEST_CASE("every DATABRICKS_* attribute variable maps to its SDK name", "[config][env]") {
    TempHome home;
    const Vars vars{
        {"DATABRICKS_HOST", "https://h"},
        {"DATABRICKS_TOKEN", "tok"},
        {"DATABRICKS_USERNAME", "user"},
        {"DATABRICKS_PASSWORD", "pass"},
        {"DATABRICKS_CLIENT_ID", "cid"},
        {"DATABRICKS_CLIENT_SECRET", "csecret"},
        {"DATABRICKS_AUTH_TYPE", "oauth-m2m"},
        {"DATABRICKS_CLUSTER_ID", "0123-abc"},
        {"DATABRICKS_ACCOUNT_ID", "acc"},
        {"DATABRICKS_WAREHOUSE_ID", "wh"},
        {"DATABRICKS_SERVERLESS_COMPUTE_ID", "auto"},
        {"DATABRICKS_INSECURE", "true"},
        {"DATABRICKS_JOBS_API_VERSION", "2.1"},
    };
    const auto config = resolve(home, vars);
    const std::map<std::string, std::string> expected{
        {"host", "https://h"},       {"token", "tok"},         {"username", "user"},
        {"password", "pass"},        {"client_id", "cid"},     {"client_secret", "csecret"},
        {"auth_type", "oauth-m2m"},  {"cluster_id", "0123-abc"}, {"account_id", "acc"},
        {"warehouse_id", "wh"},      {"serverless_compute_id", "auto"}, {"insecure", "true"},
        {"jobs-api-version", "2.1"},
    };
    for (const auto& [key, value] : expected) {
        INFO(key);
        CHECK(config.get(key) == value);
    }
    CHECK(config.settings.at("client_secret").source == "DATABRICKS_CLIENT_SECRET environment variable");
    CHECK(config.settings.at("jobs-api-version").source == "DATABRICKS_JOBS_API_VERSION environment variable");
    // attributes + config_file; no profile was selected
    CHECK(config.settings.size() == expected.size() + 1);
}

TEST_CASE("variables that are not attributes do not become settings", "[config][env]") {
    TempHome home;
    const auto config = resolve(home, {{"DATABRICKS_OUTPUT_FORMAT", "json"}, {"HOME", "/elsewhere"}});
    CHECK(config.settings.size() == 1);
    CHECK(config.settings.count("config_file") == 1);
}

TEST_CASE("without --profile, environment variables win over the profile", "[config][env]") {
    TempHome home;
    const auto path = home.write_config("[DEFAULT]\nhost = https://profile\ntoken = profile-token\ncluster_id = c1\n");
    const auto config = resolve(home, {{"DATABRICKS_TOKEN", "env-token"}});
    CHECK(config.get("host") == "https://profile");
    CHECK(config.settings.at("host").source == "profile 'DEFAULT' in " + path);
    CHECK(config.get("token") == "env-token");
    CHECK(config.settings.at("token").source == "DATABRICKS_TOKEN environment variable");
    CHECK(config.get("cluster_id") == "c1");
}

TEST_CASE("with DATABRICKS_CONFIG_PROFILE, environment variables still win", "[config][env]") {
    TempHome home;
    home.write_config("[dev]\nhost = https://dev\ntoken = dev-token\n");
    const auto config = resolve(home, {{"DATABRICKS_CONFIG_PROFILE", "dev"}, {"DATABRICKS_TOKEN", "env-token"}});
    CHECK(config.get("token") == "env-token");
    CHECK(config.get("host") == "https://dev");
}

TEST_CASE("with --profile, the profile wins and the environment only fills gaps", "[config][env]") {
    TempHome home;
    const auto path = home.write_config("[dev]\nhost = https://dev\ntoken = dev-token\nclient_id =\n");
    const auto config = resolve(home,
                                {{"DATABRICKS_HOST", "https://env"},
                                 {"DATABRICKS_TOKEN", "env-token"},
                                 {"DATABRICKS_CLUSTER_ID", "env-cluster"},
                                 {"DATABRICKS_CLIENT_ID", "env-client"}},
                                "dev");
    CHECK(config.get("host") == "https://dev");
    CHECK(config.settings.at("host").source == "profile 'dev' in " + path);
    CHECK(config.get("token") == "dev-token");
    CHECK(config.get("cluster_id") == "env-cluster");
    CHECK(config.settings.at("cluster_id").source == "DATABRICKS_CLUSTER_ID environment variable");
    // An empty value in the profile leaves the field empty, so the environment fills it.
    CHECK(config.get("client_id") == "env-client");
}

TEST_CASE("every key of the profile is kept, legacy ones included", "[config][env]") {
    TempHome home;
    const auto path = home.write_config("[legacy]\nhost = https://h\ntoken = t\ninsecure = True\n"
                                        "jobs-api-version = 2.1\nrefresh_token = r\nsomething_new = x\n");
    const auto config = resolve(home, {}, "legacy");
    CHECK(config.get("insecure") == "True");
    CHECK(config.get("jobs-api-version") == "2.1");
    CHECK(config.get("refresh_token") == "r");
    CHECK(config.get("something_new") == "x");
    CHECK(config.settings.at("something_new").source == "profile 'legacy' in " + path);
    // six keys + profile + config_file
    CHECK(config.settings.size() == 8);
}

TEST_CASE("an empty environment function is an empty environment", "[config][env]") {
    TempHome home;
    home.write_config("[DEFAULT]\nhost = https://h\n");
    const auto config = resolve_config(ConfigRequest{std::nullopt, EnvLookup{}, home.path()});
    CHECK(config.profile == "DEFAULT");
    CHECK(config.get("host") == "https://h");
}

// --- backend -------------------------------------------------------------------------------

TEST_CASE("host 'local' selects the local engine at the default root", "[config][backend]") {
    TempHome home;
    home.write_config("[DEFAULT]\nhost = local\n");
    const auto config = resolve(home);
    CHECK(config.backend == Backend::Local);
    CHECK(config.local_root == home.path() + "/.local/share/brix");
    CHECK(config.get("host") == "local");

    const auto with_brix_home = resolve(home, {{"BRIX_HOME", "/srv/brix"}});
    CHECK(with_brix_home.local_root == "/srv/brix");
}

TEST_CASE("host 'local:PATH' and 'local://PATH' select the local engine at PATH", "[config][backend]") {
    TempHome home;
    const std::vector<std::pair<std::string, std::string>> cases{
        {"local:/data/engine", "/data/engine"},
        {"local:///data/engine", "/data/engine"},
        {"local:/data/engine/", "/data/engine"},
        {"local:~/engines/a", home.path() + "/engines/a"},
        {"local://~/engines/b", home.path() + "/engines/b"},
        {"local:~", home.path()},
        {"local:/", "/"},
        {"local:", home.path() + "/.local/share/brix"},
    };
    for (const auto& [host, root] : cases) {
        INFO(host);
        const auto config = resolve(home, {{"DATABRICKS_HOST", host}});
        CHECK(config.backend == Backend::Local);
        CHECK(config.local_root == root);
        CHECK(config.get("host") == host);
    }
}

TEST_CASE("a relative local engine path is an error", "[config][backend]") {
    TempHome home;
    CHECK(resolve_error(home, {{"DATABRICKS_HOST", "local:data"}}) ==
          "host 'local:data' (from DATABRICKS_HOST environment variable): "
          "the local engine folder must be an absolute path or start with ~/");
    const auto path = home.write_config("[dev]\nhost = local://~bob/x\n");
    CHECK(resolve_error(home, {}, "dev") ==
          "host 'local://~bob/x' (from profile 'dev' in " + path +
              "): the local engine folder must be an absolute path or start with ~/");
}

TEST_CASE("without any host the local engine root follows BRIX_HOME, then XDG_DATA_HOME", "[config][backend]") {
    TempHome home;
    CHECK(resolve(home).local_root == home.path() + "/.local/share/brix");
    CHECK(resolve(home, {{"XDG_DATA_HOME", "/xdg/data"}}).local_root == "/xdg/data/brix");
    CHECK(resolve(home, {{"XDG_DATA_HOME", "relative/data"}}).local_root == home.path() + "/.local/share/brix");
    CHECK(resolve(home, {{"XDG_DATA_HOME", "/xdg/data"}, {"BRIX_HOME", "/brix"}}).local_root == "/brix");
    CHECK(resolve(home, {{"BRIX_HOME", ""}}).local_root == home.path() + "/.local/share/brix");
    CHECK(resolve(home, {{"XDG_DATA_HOME", "/xdg/data"}}).backend == Backend::Local);
}

TEST_CASE("a relative BRIX_HOME is refused; ~/ is the home folder", "[config][backend]") {
    TempHome home;
    CHECK(resolve_error(home, {{"BRIX_HOME", ".brix"}}) ==
          "BRIX_HOME=.brix: the local engine folder must be an absolute path or start with ~/");
    CHECK(resolve(home, {{"BRIX_HOME", "~/engine"}}).local_root == home.path() + "/engine");
}

TEST_CASE("without a home folder nothing is looked up at the file system's root", "[config][backend]") {
    const auto no_home = [](Vars vars, std::optional<std::string> profile = std::nullopt) {
        return resolve_config(ConfigRequest{std::move(profile), env_from(std::move(vars)), ""});
    };
    const std::string why = ": HOME is not set and your user has no home folder in the password database; set HOME";
    // the environment alone still works, with no configuration file read
    CHECK(no_home({{"DATABRICKS_HOST", "https://x.example.com"}, {"DATABRICKS_TOKEN", "t"}}).backend == Backend::Remote);
    CHECK(no_home({{"BRIX_HOME", "/srv/brix"}}).local_root == "/srv/brix");
    // what needs the home folder is refused, naming what needed it
    CHECK_THROWS_WITH(no_home({}), "cannot find your home folder for the local engine folder" + why);
    CHECK_THROWS_WITH(no_home({{"BRIX_HOME", "/srv/brix"}}, "dev"),
                      "cannot find your home folder for profile 'dev' (selected by --profile flag)" + why);
    CHECK_THROWS_WITH(no_home({{"BRIX_HOME", "~/x"}}), "cannot find your home folder for ~/x" + why);
}

TEST_CASE("a token without a host still means the local engine", "[config][backend]") {
    TempHome home;
    const auto config = resolve(home, {{"DATABRICKS_TOKEN", "t"}});
    CHECK(config.backend == Backend::Local);
    CHECK(config.get("token") == "t");
}

TEST_CASE("any other host selects the remote backend with the host normalised", "[config][backend]") {
    TempHome home;
    const auto path = home.write_config("[dev]\nhost = adb-1.2.azuredatabricks.net/\n");
    const auto config = resolve(home, {}, "dev");
    CHECK(config.backend == Backend::Remote);
    CHECK(config.get("host") == workspace);
    CHECK(config.settings.at("host").source == "profile 'dev' in " + path);
    CHECK(config.local_root == "");

    const auto served = resolve(home, {{"DATABRICKS_HOST", "http://127.0.0.1:8080"}});
    CHECK(served.backend == Backend::Remote);
    CHECK(served.get("host") == "http://127.0.0.1:8080");
}

TEST_CASE("a host without a host name is an error", "[config][backend]") {
    TempHome home;
    CHECK(resolve_error(home, {{"DATABRICKS_HOST", "https://"}}) ==
          "host 'https://' (from DATABRICKS_HOST environment variable) has no host name");
}

TEST_CASE("normalise_host follows the SDKs but keeps ports and path prefixes", "[config][backend]") {
    CHECK(normalise_host("adb-1.2.azuredatabricks.net") == workspace);
    CHECK(normalise_host("https://adb-1.2.azuredatabricks.net/") == workspace);
    CHECK(normalise_host("https://adb-1.2.azuredatabricks.net//") == workspace);
    CHECK(normalise_host("https://adb-1.2.azuredatabricks.net:443") == workspace);
    CHECK(normalise_host("https://adb-1.2.azuredatabricks.net:443/") == workspace);
    CHECK(normalise_host("HTTPS://adb-1.2.azuredatabricks.net") == workspace);
    CHECK(normalise_host("adb-1.2.azuredatabricks.net:443") == workspace);
    CHECK(normalise_host("http://127.0.0.1:8080") == "http://127.0.0.1:8080");
    CHECK(normalise_host("http://127.0.0.1:8080/") == "http://127.0.0.1:8080");
    CHECK(normalise_host("localhost:8443") == "https://localhost:8443");
    CHECK(normalise_host("https://h:4430") == "https://h:4430");
    CHECK(normalise_host("https://h:1443") == "https://h:1443");
    CHECK(normalise_host("http://h:443") == "http://h:443");
    CHECK(normalise_host("https://proxy.example.com/databricks/") == "https://proxy.example.com/databricks");
    CHECK(normalise_host("https://proxy.example.com:443/databricks") == "https://proxy.example.com/databricks");
    CHECK(normalise_host("https://") == std::nullopt);
    CHECK(normalise_host("https:///path") == std::nullopt);
    CHECK(normalise_host("://h") == std::nullopt);
    CHECK(normalise_host("") == std::nullopt);
    // Found by fuzz_ini: dropping the default port left "https://", a host without a name.
    CHECK(normalise_host(":443") == std::nullopt);
    CHECK(normalise_host("https://:443/") == std::nullopt);
    CHECK(normalise_host("https://:443/path") == std::nullopt);
}

// --- helpers exposed for configure ---------------------------------------------------------

TEST_CASE("config_file_location and default_local_root match what resolution uses", "[config]") {
    const auto env = env_from({{"DATABRICKS_CONFIG_FILE", "/etc/dbcfg"}, {"XDG_DATA_HOME", "/x"}});
    const auto location = config_file_location(env, "/home/u");
    CHECK(location.value == "/etc/dbcfg");
    CHECK(location.source == "DATABRICKS_CONFIG_FILE environment variable");
    CHECK(config_file_location(env_from({}), "/home/u").value == "/home/u/.databrickscfg");
    CHECK(default_local_root(env, "/home/u") == "/x/brix");
    CHECK(default_local_root(env_from({}), "/home/u") == "/home/u/.local/share/brix");
}

TEST_CASE("load_ini_file returns nothing for a missing file and the parsed file otherwise", "[config][ini]") {
    TempHome home;
    CHECK_FALSE(load_ini_file(home.path() + "/absent.cfg").has_value());
    const auto path = home.write("present.cfg", "[p]\nk = v\n");
    const auto ini = load_ini_file(path);
    REQUIRE(ini.has_value());
    CHECK(ini->find("p")->get("k") == "v");
}
