// Recording a quarantined input, the same for every pipeline: one log line naming where it went, one dead letter.
#pragma once

#include "core/result.hpp"
#include "engine/dead_letters.hpp"
#include "engine/source.hpp"

namespace sb::engine {

//! Called after the source acknowledged `input` as failed (`ack` says where it went, or why it could not
//! move), or before, for a stream. `dead_letters` may be null. Fails when the dead letter could not be written.
core::Status record_quarantine(Source& source, DeadLetterRecorder* dead_letters, const Input& input,
                               const core::Error& reason, const core::Result<Acknowledgement>& ack);

}  // namespace sb::engine
