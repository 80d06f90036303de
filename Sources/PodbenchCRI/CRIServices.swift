import SwiftProtobuf

/// The methods of the CRI's `runtime.v1.RuntimeService` podbench calls.
public struct CRIRuntimeService: Sendable {
    let connection: H2CConnection

    private func call<Response: SwiftProtobuf.Message>(_ method: String, _ request: some SwiftProtobuf.Message) async throws -> Response {
        try await connection.call("/runtime.v1.RuntimeService/\(method)", request)
    }

    public func version(_ request: Runtime_V1_VersionRequest) async throws -> Runtime_V1_VersionResponse { try await call("Version", request) }
    public func status(_ request: Runtime_V1_StatusRequest) async throws -> Runtime_V1_StatusResponse { try await call("Status", request) }
    public func runPodSandbox(_ request: Runtime_V1_RunPodSandboxRequest) async throws -> Runtime_V1_RunPodSandboxResponse { try await call("RunPodSandbox", request) }
    public func stopPodSandbox(_ request: Runtime_V1_StopPodSandboxRequest) async throws -> Runtime_V1_StopPodSandboxResponse { try await call("StopPodSandbox", request) }
    public func removePodSandbox(_ request: Runtime_V1_RemovePodSandboxRequest) async throws -> Runtime_V1_RemovePodSandboxResponse { try await call("RemovePodSandbox", request) }
    public func listPodSandbox(_ request: Runtime_V1_ListPodSandboxRequest) async throws -> Runtime_V1_ListPodSandboxResponse { try await call("ListPodSandbox", request) }
    public func podSandboxStatus(_ request: Runtime_V1_PodSandboxStatusRequest) async throws -> Runtime_V1_PodSandboxStatusResponse { try await call("PodSandboxStatus", request) }
    public func createContainer(_ request: Runtime_V1_CreateContainerRequest) async throws -> Runtime_V1_CreateContainerResponse { try await call("CreateContainer", request) }
    public func startContainer(_ request: Runtime_V1_StartContainerRequest) async throws -> Runtime_V1_StartContainerResponse { try await call("StartContainer", request) }
    public func stopContainer(_ request: Runtime_V1_StopContainerRequest) async throws -> Runtime_V1_StopContainerResponse { try await call("StopContainer", request) }
    public func removeContainer(_ request: Runtime_V1_RemoveContainerRequest) async throws -> Runtime_V1_RemoveContainerResponse { try await call("RemoveContainer", request) }
    public func listContainers(_ request: Runtime_V1_ListContainersRequest) async throws -> Runtime_V1_ListContainersResponse { try await call("ListContainers", request) }
    public func containerStatus(_ request: Runtime_V1_ContainerStatusRequest) async throws -> Runtime_V1_ContainerStatusResponse { try await call("ContainerStatus", request) }
}

/// The method of the CRI's `runtime.v1.ImageService` podbench calls.
public struct CRIImageService: Sendable {
    let connection: H2CConnection

    public func imageStatus(_ request: Runtime_V1_ImageStatusRequest) async throws -> Runtime_V1_ImageStatusResponse {
        try await connection.call("/runtime.v1.ImageService/ImageStatus", request)
    }
}
