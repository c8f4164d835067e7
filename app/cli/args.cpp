#include "args.h"

#include <algorithm>

namespace cairn::cli {

Args::Args(int argc, char** argv, int first, const std::vector<std::string>& flags) {
    for (int i = first; i < argc; ++i) {
        std::string a = argv[i];
        if (a.rfind("--", 0) == 0 && a.size() > 2) {
            std::string key = a.substr(2);
            const auto eq = key.find('=');
            if (eq != std::string::npos) {
                m_options[key.substr(0, eq)] = key.substr(eq + 1);
            } else if (std::find(flags.begin(), flags.end(), key) != flags.end() || i + 1 >= argc) {
                m_options[key] = "";
            } else {
                m_options[key] = argv[++i];
            }
        } else {
            m_positionals.push_back(std::move(a));
        }
    }
}

std::optional<std::string> Args::get(const std::string& key) const {
    auto it = m_options.find(key);
    if (it == m_options.end())
        return std::nullopt;
    return it->second;
}

std::string Args::get(const std::string& key, const std::string& fallback) const {
    return get(key).value_or(fallback);
}

std::vector<std::string> Args::unknown(const std::vector<std::string>& known) const {
    std::vector<std::string> out;
    for (const auto& [k, v] : m_options)
        if (std::find(known.begin(), known.end(), k) == known.end())
            out.push_back(k);
    return out;
}

bool Args::require(const std::vector<std::string>& keys, std::string& missing) const {
    for (const auto& k : keys) {
        if (!has(k) || m_options.at(k).empty()) {
            missing = k;
            return false;
        }
    }
    return true;
}

} // namespace cairn::cli
