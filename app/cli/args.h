// Minimal command-line parsing for cairn-cli: `--key value`, `--key=value`, `--flag` and positionals.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace cairn::cli {

class Args {
public:
    // flags: option names that take no value (e.g. "dry-run").
    Args(int argc, char** argv, int first, const std::vector<std::string>& flags = {});

    bool has(const std::string& key) const { return m_options.count(key) > 0; }
    std::optional<std::string> get(const std::string& key) const;
    std::string get(const std::string& key, const std::string& fallback) const;
    const std::vector<std::string>& positionals() const { return m_positionals; }
    // Options given on the command line that are not in `known`; empty when all are known.
    std::vector<std::string> unknown(const std::vector<std::string>& known) const;
    // Fills `missing` with the first required option that is absent.
    bool require(const std::vector<std::string>& keys, std::string& missing) const;

private:
    std::map<std::string, std::string> m_options;
    std::vector<std::string> m_positionals;
};

} // namespace cairn::cli
