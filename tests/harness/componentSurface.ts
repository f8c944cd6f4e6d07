import * as ts from "typescript";

/**
 * The TSDoc block tag that documents, on a public method or getter, how users of other languages get
 * the same result (the schema cannot carry methods or getters), e.g. another component to use.
 */
export const OTHER_LANGUAGES_TAG = "otherLanguages";

/** A member of an args interface or of a component class, as declared in TypeScript. */
export interface DeclaredMember {
  name: string;
  /** `function` is a property whose type is a function type. */
  kind: "property" | "accessor" | "method" | "function";
  visibility: "public" | "protected" | "private";
  isStatic: boolean;
  /** The TSDoc `@otherLanguages` text: how users of other languages get what a method or getter gives. */
  otherLanguages?: string;
}

/** A component class as declared in TypeScript: what the schema should show of it. */
export interface DeclaredComponent {
  className: string;
  /** The type token passed to `super()`, when it is a string constant. */
  typeToken?: string;
  /** Name of the interface typing the constructor's `args` parameter. */
  argsType?: string;
  args: DeclaredMember[];
  members: DeclaredMember[];
}

/** Interfaces by name: how many distinct declarations carry the name, and the members of each. */
export type DeclaredInterfaces = Map<string, DeclaredMember[][]>;

export interface DeclaredSurface {
  components: DeclaredComponent[];
  interfaces: DeclaredInterfaces;
}

/**
 * Reads the components' public surface from their TypeScript sources, independently of Pulumi's
 * schema inference, so a test can tell what the inferred schema silently dropped or added. Only the
 * given files are parsed (no imports are followed), which keeps this fast: members typed from other
 * packages are still listed, only their types stay unresolved.
 */
export function declaredSurface(files: string[], classNames: string[]): DeclaredSurface {
  const program = ts.createProgram(files, {
    noResolve: true,
    types: [],
    strict: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.CommonJS,
  });
  const checker = program.getTypeChecker();
  const components: DeclaredComponent[] = [];
  const interfaces: DeclaredInterfaces = new Map();
  const seenInterfaces = new Set<ts.Symbol>();

  for (const file of program.getSourceFiles()) {
    if (file.isDeclarationFile || !files.some((f) => samePath(f, file.fileName))) continue;
    for (const node of file.statements) {
      if (ts.isClassDeclaration(node) && node.name && classNames.includes(node.name.text)) {
        components.push(declaredComponent(node, checker));
      } else if (ts.isInterfaceDeclaration(node)) {
        const symbol = checker.getSymbolAtLocation(node.name);
        if (!symbol || seenInterfaces.has(symbol)) continue;
        seenInterfaces.add(symbol);
        const members = checker
          .getDeclaredTypeOfSymbol(symbol)
          .getProperties()
          .map((m) => typeMember(m));
        interfaces.set(node.name.text, [...(interfaces.get(node.name.text) ?? []), members]);
      }
    }
  }
  return { components, interfaces };
}

function declaredComponent(node: ts.ClassDeclaration, checker: ts.TypeChecker): DeclaredComponent {
  const ctor = node.members.find(ts.isConstructorDeclaration);
  const argsParam = ctor?.parameters.find((p) => ts.isIdentifier(p.name) && p.name.text === "args");
  let args: DeclaredMember[] = [];
  let argsType: string | undefined;
  if (argsParam?.type) {
    const type = checker.getTypeFromTypeNode(argsParam.type);
    argsType = type.getSymbol()?.getName();
    args = type.getProperties().map((m) => typeMember(m));
  }
  const members: DeclaredMember[] = [];
  for (const member of node.members) {
    if (ts.isConstructorDeclaration(member)) {
      for (const param of member.parameters) {
        if (ts.isIdentifier(param.name) && ts.getModifiers(param)?.length) {
          members.push(classMember(param.name.text, "property", param));
        }
      }
      continue;
    }
    const name = member.name && memberName(member.name);
    if (!name) continue;
    if (ts.isPropertyDeclaration(member)) {
      const fn = member.type && ts.isFunctionTypeNode(member.type);
      members.push(classMember(name, fn ? "function" : "property", member));
    } else if (ts.isGetAccessorDeclaration(member)) members.push(classMember(name, "accessor", member));
    else if (ts.isMethodDeclaration(member)) members.push(classMember(name, "method", member));
  }
  return {
    className: node.name!.text,
    typeToken: ctor?.body ? superToken(ctor.body, checker) : undefined,
    argsType,
    args,
    members,
  };
}

function typeMember(symbol: ts.Symbol): DeclaredMember {
  const declaration = symbol.declarations?.[0];
  let kind: DeclaredMember["kind"] = "property";
  if (declaration && (ts.isMethodSignature(declaration) || ts.isMethodDeclaration(declaration)))
    kind = "method";
  else if (
    declaration &&
    ts.isPropertySignature(declaration) &&
    declaration.type &&
    ts.isFunctionTypeNode(declaration.type)
  ) {
    kind = "function";
  }
  return { name: symbol.getName(), kind, visibility: "public", isStatic: false };
}

function classMember(name: string, kind: DeclaredMember["kind"], node: ts.Node): DeclaredMember {
  const flags = ts.getCombinedModifierFlags(node as ts.Declaration);
  const visibility =
    flags & ts.ModifierFlags.Private || name.startsWith("#")
      ? "private"
      : flags & ts.ModifierFlags.Protected
        ? "protected"
        : "public";
  const tag = ts.getJSDocTags(node).find((t) => t.tagName.text === OTHER_LANGUAGES_TAG);
  const otherLanguages = tag ? ts.getTextOfJSDocComment(tag.comment)?.trim() : undefined;
  return { name, kind, visibility, isStatic: !!(flags & ts.ModifierFlags.Static), otherLanguages };
}

function memberName(name: ts.PropertyName): string | undefined {
  if (ts.isIdentifier(name) || ts.isStringLiteral(name) || ts.isPrivateIdentifier(name)) return name.text;
  return undefined;
}

/** The first argument of the constructor's `super(...)` call, when it is a string constant. */
function superToken(body: ts.Block, checker: ts.TypeChecker): string | undefined {
  let token: string | undefined;
  const visit = (node: ts.Node): void => {
    if (token !== undefined) return;
    if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.SuperKeyword) {
      token = constantString(node.arguments[0], checker);
      return;
    }
    ts.forEachChild(node, visit);
  };
  visit(body);
  return token;
}

function constantString(node: ts.Expression | undefined, checker: ts.TypeChecker): string | undefined {
  if (!node) return undefined;
  if (ts.isStringLiteralLike(node)) return node.text;
  if (ts.isIdentifier(node)) {
    const declaration = checker.getSymbolAtLocation(node)?.valueDeclaration;
    if (declaration && ts.isVariableDeclaration(declaration))
      return constantString(declaration.initializer, checker);
  }
  return undefined;
}

function samePath(a: string, b: string): boolean {
  return a.replace(/\\/g, "/") === b.replace(/\\/g, "/");
}
