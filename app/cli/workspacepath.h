// Where cairn-cli finds the workspace database: --db FILE, else $CAIRN_WORKSPACE, else
// $XDG_DATA_HOME/cairn/workspace.sqlite (~/.local/share/cairn/workspace.sqlite). Creates the folder.
#pragma once

#include <cstdlib>
#include <filesystem>
#include <string>

namespace cairn::cli {

inline std::string workspacePath(const std::string& explicitPath)
{
    namespace fs = std::filesystem;
    std::string path = explicitPath;
    if (path.empty()) {
        if (const char* env = std::getenv("CAIRN_WORKSPACE"); env && *env)
            path = env;
        else if (const char* xdg = std::getenv("XDG_DATA_HOME"); xdg && *xdg)
            path = std::string(xdg) + "/cairn/workspace.sqlite";
        else if (const char* home = std::getenv("HOME"); home && *home)
            path = std::string(home) + "/.local/share/cairn/workspace.sqlite";
        else
            path = "workspace.sqlite";
    }
    std::error_code ec;
    const fs::path parent = fs::path(path).parent_path();
    if (!parent.empty())
        fs::create_directories(parent, ec);
    return path;
}

} // namespace cairn::cli
