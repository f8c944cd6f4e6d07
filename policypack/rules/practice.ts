import type { PolicyComplianceFramework } from "@pulumi/policy";

/** The project's repository; Pulumi Cloud links policies and the pack here. */
export const REPOSITORY_URL = "https://github.com/dynamodb-hardened/dynamodb-hardened";
/** The twelve practices in the project's own words, one anchor (`practice-N`) each. */
export const PRACTICES_DOC_URL = `${REPOSITORY_URL}/blob/main/docs/practices.md`;

// AWS Security Hub's AWS Foundational Security Best Practices standard, DynamoDB controls:
// https://docs.aws.amazon.com/securityhub/latest/userguide/dynamodb-controls.html (anchors dynamodb-1 to dynamodb-7).
const FSBP = "AWS Foundational Security Best Practices";
const FSBP_VERSION = "1.0.0";
const FSBP_DYNAMODB_CONTROLS =
  "https://docs.aws.amazon.com/securityhub/latest/userguide/dynamodb-controls.html";

/**
 * The priority seed 003 gives each practice ("Critical", "High", "Medium"): the severity of every policy and
 * stack check of that practice.
 */
export const PRACTICE_SEVERITY: Record<number, "critical" | "high" | "medium"> = {
  1: "critical",
  2: "critical",
  3: "critical",
  4: "critical",
  5: "high",
  6: "high",
  7: "high",
  8: "critical",
  9: "high",
  10: "medium",
  11: "high",
  12: "high",
};

/** One of the twelve practices: what findings cite and what Pulumi Cloud shows of the policies that check it. */
export interface Practice {
  number: number;
  /** From seed 003's priority table. */
  severity: "critical" | "high" | "medium";
  title: string;
  /** Security Hub controls and AWS Config managed rules, or the closest named benchmark, as findings cite them. */
  controls: string[];
  /** AWS Foundational Security Best Practices control ids (`DynamoDB.2`) that check this practice; none for some. */
  securityHub: string[];
  /** Short topic tags for Pulumi Cloud, besides `practice-N`. */
  topics: string[];
  /** This practice in docs/practices.md. */
  url: string;
}

export function definePractice(
  number: number,
  title: string,
  p: Pick<Practice, "controls" | "topics"> & { securityHub?: string[] },
): Practice {
  return {
    number,
    title,
    ...p,
    severity: PRACTICE_SEVERITY[number] ?? "high",
    securityHub: p.securityHub ?? [],
    url: `${PRACTICES_DOC_URL}#practice-${number}`,
  };
}

/**
 * The compliance framework Pulumi Cloud shows for a policy checking `practices`: the Security Hub controls when
 * AWS has any for them, else the project's own practices (AWS has no control for, e.g., least privilege).
 */
export function frameworkOf(
  practices: Practice[],
  securityHub = practices.flatMap((p) => p.securityHub),
): PolicyComplianceFramework {
  const controls = [...new Set(securityHub)].sort(
    (a, b) => Number(a.split(".")[1]) - Number(b.split(".")[1]),
  );
  if (controls.length) {
    const anchor = controls.length === 1 ? `#${controls[0].toLowerCase().replace(".", "-")}` : "";
    return {
      name: FSBP,
      version: FSBP_VERSION,
      reference: controls.join(", "),
      specification: `${FSBP_DYNAMODB_CONTROLS}${anchor}`,
    };
  }
  return {
    name: "dynamodb-hardened practices",
    version: "1",
    reference: practices.map((p) => `Practice ${p.number}`).join(", "),
    specification: practices.length === 1 ? practices[0].url : PRACTICES_DOC_URL,
  };
}

/** Pulumi Cloud tags of a policy checking `practices`: `practice-N` and the practices' topics. */
export function tagsOf(practices: Practice[]): string[] {
  return [
    ...new Set([...practices.map((p) => `practice-${p.number}`), ...practices.flatMap((p) => p.topics)]),
  ];
}
