/* The C interface between the brix binary and its embedded `serve` plugin. */
#pragma once

#ifdef __cplusplus
extern "C" {
#endif

typedef struct BrixServeOptions {
    const char* host;
    int port;
    const char* root;
    const char* token_file; /* "" when none */
    int allow_remote;
    int threads;
} BrixServeOptions;

typedef int (*BrixServeMain)(const BrixServeOptions*);

#ifdef __cplusplus
}
#endif
