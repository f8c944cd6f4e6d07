import * as grpc from "@grpc/grpc-js";
import { IResourceMonitorServer, ResourceMonitorService } from "@pulumi/pulumi/proto/resource_grpc_pb";
import {
  RegisterResourceRequest,
  RegisterResourceResponse,
  ResourceInvokeRequest,
  ResourceInvokeResponse,
  SupportsFeatureRequest,
  SupportsFeatureResponse,
} from "@pulumi/pulumi/proto/resource_pb";
import { Empty } from "google-protobuf/google/protobuf/empty_pb";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import { mockCall, mockResourceState } from "../../preview/mockCloud";
import { bind } from "./plugin";

/** A resource the component registered with the monitor, as the engine would record it. */
export interface MonitoredResource {
  type: string;
  name: string;
  urn: string;
  parent: string;
  custom: boolean;
  inputs: Record<string, unknown>;
}

export interface FakeMonitor {
  address: string;
  resources: MonitoredResource[];
  stop(): void;
}

/** Features a current engine supports that change how the SDK serializes values. */
const SUPPORTED_FEATURES = new Set(["secrets", "resourceReferences"]);

/**
 * The engine's resource monitor, as far as a component provider needs it during `Construct`: it
 * records every registered resource and answers with the same made-up cloud as `preview/mockCloud`.
 */
export async function startFakeMonitor(options: {
  project: string;
  stack: string;
  preview: boolean;
  config: Record<string, string>;
}): Promise<FakeMonitor> {
  const resources: MonitoredResource[] = [];
  const qualifiedTypes = new Map<string, string>();
  const unimplemented = (_call: unknown, callback: grpc.sendUnaryData<never>) =>
    callback({ code: grpc.status.UNIMPLEMENTED }, null);

  const monitor: IResourceMonitorServer = {
    supportsFeature: (
      call: grpc.ServerUnaryCall<SupportsFeatureRequest, SupportsFeatureResponse>,
      callback: grpc.sendUnaryData<SupportsFeatureResponse>,
    ) =>
      callback(
        null,
        new SupportsFeatureResponse().setHassupport(SUPPORTED_FEATURES.has(call.request.getId())),
      ),

    registerResource: (
      call: grpc.ServerUnaryCall<RegisterResourceRequest, RegisterResourceResponse>,
      callback: grpc.sendUnaryData<RegisterResourceResponse>,
    ) => {
      const req = call.request;
      const parentType = qualifiedTypes.get(req.getParent());
      const qualifiedType = parentType ? `${parentType}$${req.getType()}` : req.getType();
      const urn = `urn:pulumi:${options.stack}::${options.project}::${qualifiedType}::${req.getName()}`;
      qualifiedTypes.set(urn, qualifiedType);
      const inputs = (req.getObject()?.toJavaScript() ?? {}) as Record<string, unknown>;
      resources.push({
        type: req.getType(),
        name: req.getName(),
        urn,
        parent: req.getParent(),
        custom: req.getCustom(),
        inputs,
      });
      const response = new RegisterResourceResponse().setUrn(urn);
      if (req.getCustom()) {
        const { id, state } = mockResourceState(
          { type: req.getType(), name: req.getName(), inputs, provider: req.getProvider(), custom: true },
          options.preview,
        );
        response
          .setId(id ?? "")
          .setObject(Struct.fromJavaScript(state as Parameters<typeof Struct.fromJavaScript>[0]));
      }
      callback(null, response);
    },

    registerResourceOutputs: (_call: unknown, callback: grpc.sendUnaryData<Empty>) =>
      callback(null, new Empty()),

    invoke: (
      call: grpc.ServerUnaryCall<ResourceInvokeRequest, ResourceInvokeResponse>,
      callback: grpc.sendUnaryData<ResourceInvokeResponse>,
    ) => {
      const req = call.request;
      const result = mockCall(
        { token: req.getTok(), inputs: req.getArgs()?.toJavaScript() ?? {}, provider: req.getProvider() },
        options.config,
        new Map(),
      );
      callback(null, new ResourceInvokeResponse().setReturn(Struct.fromJavaScript(result as never)));
    },

    getDeploymentInfo: unimplemented,
    call: unimplemented,
    readResource: unimplemented,
    existsResource: unimplemented,
    registerStackTransform: unimplemented,
    registerStackInvokeTransform: unimplemented,
    registerResourceHook: unimplemented,
    registerErrorHook: unimplemented,
    registerPackage: unimplemented,
    signalAndWaitForShutdown: unimplemented,
  };

  const server = new grpc.Server();
  server.addService(ResourceMonitorService, monitor);
  const port = await bind(server);
  return { address: `127.0.0.1:${port}`, resources, stop: () => server.forceShutdown() };
}
