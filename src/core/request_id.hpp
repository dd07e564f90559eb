// Fresh version-4 GUIDs for client request ids (x-ms-client-request-id), so a request can be traced in Azure.
#pragma once

#include <string>

namespace sb::core {

//! A random version-4 GUID, lower-case ("0f8fad5b-d9cb-469f-a165-70867728950e"). Thread-safe.
std::string new_request_id();

}  // namespace sb::core
