#pragma once
// What `configure` and `secrets put` read from the user: a prompt when stdin is a terminal,
// the piped bytes otherwise (CI: `echo $TOKEN | brix configure --host H`).

#include <string>

namespace brix::commands {

bool stdin_is_terminal();

enum class Echo { Visible, Hidden };

// Prints `prompt` on stderr and reads one line from the terminal, without its line end. Hidden
// input turns terminal echo off for the line (tokens, secret values). EOF → runtime_error.
std::string prompt_line(const std::string& prompt, Echo echo);

// Everything on stdin, byte for byte.
std::string read_stdin_bytes();

}  // namespace brix::commands
