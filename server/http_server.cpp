#include "server/http_server.hpp"

#include <httplib.h>
#include <malloc.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <thread>

#include "engine/local_api.hpp"
#include "server/connection.hpp"
#include "server/handler.hpp"
#include "server/presigned.hpp"
#include "server/recorder.hpp"

namespace brix::server {
namespace {

bool is_loopback(const std::string& host) {
    return host == "localhost" || host == "::1" || host.rfind("127.", 0) == 0;
}

// The token clients must present: read from --token-file when it holds one, else a new token
// written there (mode 0600) for scripts and tests to pick up.
void prepare_token_file(engine::LocalApi& engine, const std::filesystem::path& file) {
    std::ifstream in(file);
    std::string value;
    std::getline(in, value);
    while (!value.empty() && (value.back() == '\r' || value.back() == ' ')) value.pop_back();
    if (!value.empty()) {
        engine.adopt_token(value, "from --token-file " + file.string());
        return;
    }
    auto created = engine.create_token("brix serve --token-file " + file.string(), 0);
    auto temp = file.string() + ".tmp";
    {
        std::ofstream out(temp, std::ios::trunc);
        out << created["token_value"].get<std::string>() << "\n";
    }
    std::filesystem::permissions(temp, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
    std::filesystem::rename(temp, file);
}

}  // namespace

int serve(const ServeOptions& options) {
    if (!is_loopback(options.host) && !options.allow_remote) {
        std::fprintf(stderr, "Error: %s is not a loopback address; pass --allow-remote to serve other hosts\n", options.host.c_str());
        return 2;
    }
    auto recorder = Recorder::from_environment();
    ServeOptions serving = options;
    serving.recorder = recorder.get();
    UrlSigner signer;
    serving.signer = &signer;
    engine::LocalApi engine(options.root, engine::jobs::RunExecution::InProcess);
    if (options.token_file) prepare_token_file(engine, *options.token_file);

    // Signals are taken by one thread with sigwait, so stopping never runs inside a handler.
    sigset_t stop_signals;
    sigemptyset(&stop_signals);
    sigaddset(&stop_signals, SIGINT);
    sigaddset(&stop_signals, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
    ::signal(SIGPIPE, SIG_IGN);

    // glibc gives threads up to 8 malloc arenas per core, and memory freed in one arena is not
    // reused by the others: with 64 server threads, every large answer (a listing of 10,000
    // objects is ~10 MB while it is built) would leave its peak behind in another arena.
    ::mallopt(M_ARENA_MAX, static_cast<int>(std::max(2u, std::thread::hardware_concurrency())));

    BrixHttpServer server(options.threads);
    server.set_keep_alive_max_count(1000);
    // Debian's build of cpp-httplib ignores set_tcp_nodelay and listens with a backlog of 5: set
    // TCP_NODELAY on the listening socket ourselves (accepted sockets inherit it; without it, every
    // keep-alive answer waits ~40 ms for a delayed ACK), and deepen the backlog once it listens.
    int listen_fd = -1;
    server.set_socket_options([&listen_fd](int fd) {
        int on = 1;
        ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
        ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
        listen_fd = fd;
    });
    server.set_read_timeout(options.request_timeout_seconds, 0);
    server.set_write_timeout(options.request_timeout_seconds, 0);
    server.set_payload_max_length(std::size_t{5} << 30);
    install_handlers(server, serving);

    int port = options.port == 0 ? server.bind_to_any_port(options.host) : (server.bind_to_port(options.host, options.port) ? options.port : -1);
    if (port < 0) {
        std::fprintf(stderr, "Error: cannot listen on %s:%d\n", options.host.c_str(), options.port);
        return 1;
    }
    if (listen_fd >= 0) ::listen(listen_fd, 1024);
    if (!is_loopback(options.host))
        std::fprintf(stderr, "Warning: serving on %s: anyone who can reach it and holds a token can use this engine\n",
                     options.host.c_str());
    std::printf("Listening on http://%s:%d (engine root %s)\n", options.host.c_str(), port, options.root.c_str());
    std::printf("Clients authenticate with the tokens of this root: create one with `brix tokens create`%s.\n",
                engine.has_tokens() ? "" : " (there are none yet)");
    std::fflush(stdout);

    std::thread stopper([&] {
        int signal_number = 0;
        sigwait(&stop_signals, &signal_number);
        server.stop();
    });
    stopper.detach();
    server.listen_after_bind();
    // In-flight requests are done. Runs executing in this process end here; the next look at
    // them ends them INTERNAL_ERROR and stops their tasks, as for any executor that died.
    std::fflush(stdout);
    std::_Exit(0);
}

}  // namespace brix::server
