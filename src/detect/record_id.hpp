// record_id: the deterministic identity of a row, so a replayed report can be recognised and dropped.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace sb::detect {

//! Lower-case hex SHA-256 of "<task_id>|<submitted>|<index>|<sha1>", absent values written as "".
std::string make_record_id(std::optional<std::string_view> task_id, std::optional<int64_t> submitted, int64_t index,
                           std::string_view sha1);

}  // namespace sb::detect
