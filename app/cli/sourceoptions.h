// Shared cairn-cli options for commands that talk to a source over HTTP:
//   --url URL --timeout DUR --connect-timeout DUR --retries N --ca-file F --cert F --key F --insecure
//   --token-env VAR (bearer token from an environment variable) --user U --password-env VAR
//   --org-id ID (X-Scope-OrgID, Mimir/Tempo/Loki tenants) --header "Name: value" --proxy URL --max-bytes N
// Secrets are read from the environment, never from the command line (it shows in `ps`).
#pragma once

#include "args.h"

#include "cairn/sources/http.h"

#include <string>
#include <vector>

namespace cairn::cli {

// Option names handled by httpOptionsFromArgs (for Args::unknown checks).
const std::vector<std::string>& httpOptionNames();
// Fills HttpOptions from the options above; on a bad value returns false with a message in `error`.
bool httpOptionsFromArgs(const Args& args, sources::HttpOptions& out, std::string& error);
// Parses a time given as Unix seconds or RFC 3339; "now" and "now-1h" are accepted too.
bool parseCliTime(const std::string& text, TimeMs& out, std::string& error);

// `detect` with a source (--prometheus URL or --source prometheus): see cmd_detectsource.cpp.
bool isSourceDetect(int argc, char** argv, int first);
int runDetectSource(int argc, char** argv, int first);

} // namespace cairn::cli
