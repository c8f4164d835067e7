// Persistence of a TemplateMiner's template set in the workspace (table logs_template_set, one row
// per named set, the JSON of TemplateMiner::toJson()), so template ids stay stable across restarts.
// Thread-safety: as the Workspace (any thread; each call takes the connection's lock).
#pragma once

#include "cairn/common/error.h"
#include "cairn/logs/templateminer.h"

#include <optional>
#include <string>

namespace cairn::storage {
class Workspace;
}

namespace cairn::logs {

// Saves (replaces) the template set stored under `name` ("default", a source name...).
Result<void> saveTemplateSet(storage::Workspace& ws, const std::string& name, const TemplateMiner& miner,
                             TimeMs now);
// The set stored under `name`, or nullopt when there is none.
Result<std::optional<TemplateMiner>> loadTemplateSet(storage::Workspace& ws, const std::string& name);

} // namespace cairn::logs
