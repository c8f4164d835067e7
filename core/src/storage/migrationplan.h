// Internal: validation and ordering of workspace migrations. Not public API.
#pragma once

#include "cairn/storage/workspace.h"

#include <vector>

namespace cairn::storage::detail {

// The newest step version an area's migration knows.
int newestVersion(const Migration& m);

// Validates areas and steps, merges identical duplicates, rejects conflicting ones, and orders the
// areas so that dependsOn comes first (ties by name).
Result<std::vector<Migration>> planMigrations(std::vector<Migration> input);

} // namespace cairn::storage::detail
