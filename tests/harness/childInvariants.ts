import * as assert from "assert";
import { isRegion } from "../../components/shared/arn";
import { RecordedResource, acceptsInput, descendants } from "./record";

export interface ChildExpectations {
  /** Tags every child that takes tags must carry. */
  tags: Record<string, string>;
  /** Regions children may be created in; a child named `*-<region>` must be in that region. */
  regions?: string[];
}

/**
 * The invariants every child of every component must keep: it is parented under a component, it is
 * pinned to a region (or an explicit provider) when its type is regional, and it carries the tags.
 */
export function assertChildInvariants(resources: RecordedResource[], expect: ChildExpectations): number {
  const components = resources.filter((r) => r.type.startsWith("dynamodb-hardened:"));
  assert.ok(components.length > 0, "no dynamodb-hardened component was registered");
  const topLevel = components.filter((c) => !components.some((p) => p.urn === c.parent));
  let checked = 0;
  for (const component of topLevel) {
    for (const child of descendants(resources, component.urn)) {
      if (!child.custom || child.type.startsWith("pulumi:providers:")) continue;
      checked++;
      const label = `${child.type} ${child.name}`;
      if (acceptsInput(child.type, "region")) {
        const region = child.inputs.region;
        if (child.provider === "" || region !== undefined) {
          assert.ok(
            typeof region === "string" && isRegion(region),
            `${label}: region not set (${String(region)})`,
          );
          if (expect.regions) {
            assert.ok(
              expect.regions.includes(region as string),
              `${label}: unexpected region ${String(region)}`,
            );
            const suffix = expect.regions.find((r) => child.name.endsWith(`-${r}`));
            if (suffix)
              assert.strictEqual(region, suffix, `${label}: named for ${suffix} but in ${String(region)}`);
          }
        }
      }
      if (acceptsInput(child.type, "tags")) {
        const tags = (child.inputs.tags ?? {}) as Record<string, string>;
        for (const [k, v] of Object.entries(expect.tags)) {
          assert.strictEqual(tags[k], v, `${label}: tag ${k} is ${tags[k]}, expected ${v}`);
        }
      }
    }
  }
  assert.ok(checked > 0, "no child resources were checked");
  return checked;
}
