import * as pulumi from "@pulumi/pulumi";

/**
 * The checks of a component that can only run once Outputs are known (the account the provider deploys
 * into, a vault ARN from another stack). Every child registered after `waitFor` waits for them: a check
 * that fails fails every child's registration, so a refused component leaves nothing half-created.
 */
export class DeferredChecks {
  private checks: pulumi.Output<unknown>[] = [];
  /** Every check as one Output, made once for all children (not once per child). */
  private all?: pulumi.Output<unknown[]>;

  /** Options for the component's `super()`: its children depend on every check passed to `waitFor`. */
  options(opts: pulumi.ComponentResourceOptions | undefined): pulumi.ComponentResourceOptions {
    const gate: pulumi.ResourceTransformation = (args) => {
      if (!this.checks.length) return undefined;
      this.all ??= pulumi.all(this.checks);
      const checks = this.all;
      const given = args.opts.dependsOn;
      // `apply` (not `pulumi.output`) so resources in `dependsOn` are passed through untouched.
      const dependsOn = checks.apply(() => given ?? []) as pulumi.Input<pulumi.Input<pulumi.Resource>[]>;
      return { props: args.props, opts: { ...args.opts, dependsOn } };
    };
    return { ...opts, transformations: [...(opts?.transformations ?? []), gate] };
  }

  /** Children registered from now on wait for `checks`, each throwing an `InputPropertyError` when it fails. */
  waitFor(...checks: pulumi.Output<unknown>[]): void {
    this.checks.push(...checks);
    this.all = undefined;
  }
}
