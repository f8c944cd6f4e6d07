import { ExampleValue, Expression } from "./exampleCheck";

/** One call such as `orders = module.HardenedTable("orders", hash_key="pk", ...)` in a Python program. */
export interface PythonCall {
  /** The variable the result is assigned to, if any. */
  target?: string;
  /** The called name after the module, e.g. `HardenedTable`. */
  callee: string;
  positional: ExampleValue[];
  keywords: Record<string, ExampleValue>;
}

/**
 * Finds the calls `<moduleAlias>.<Name>(...)` in a Python program and reads their arguments. Literals
 * (strings, numbers, booleans, None, lists, dicts) become values; anything computed becomes an
 * `Expression`. Enough Python for example programs, not a general parser.
 */
export function pythonCalls(source: string, moduleAlias: string): PythonCall[] {
  const calls: PythonCall[] = [];
  const pattern = new RegExp(`(?:^|\\n)\\s*(?:(\\w+)\\s*=\\s*)?${moduleAlias}\\.(\\w+)\\s*\\(`, "g");
  for (const match of source.matchAll(pattern)) {
    const parser = new Parser(source, match.index! + match[0].length);
    const { positional, keywords } = parser.callArguments();
    calls.push({ target: match[1], callee: match[2], positional, keywords });
  }
  return calls;
}

/** The attributes read from `variable` anywhere in the program (`orders.key_arn` → `key_arn`). */
export function attributesRead(source: string, variable: string): string[] {
  return [...source.matchAll(new RegExp(`\\b${variable}\\.(\\w+)`, "g"))].map((m) => m[1]);
}

class Parser {
  constructor(
    private readonly text: string,
    private pos: number,
  ) {}

  callArguments(): { positional: ExampleValue[]; keywords: Record<string, ExampleValue> } {
    const positional: ExampleValue[] = [];
    const keywords: Record<string, ExampleValue> = {};
    while (!this.eat(")")) {
      const keyword = /^(\w+)\s*=(?!=)/.exec(this.text.slice(this.skip()));
      if (keyword) {
        this.pos += keyword[0].length;
        keywords[keyword[1]] = this.value();
      } else {
        positional.push(this.value());
      }
      this.eat(",");
    }
    return { positional, keywords };
  }

  private value(): ExampleValue {
    const start = this.skip();
    const rest = this.text.slice(start);
    if (rest.startsWith("[")) return this.sequence("[", "]");
    if (rest.startsWith("{")) return this.mapping();
    const literal = /^(?:"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)'|(-?\d+(?:\.\d+)?)|(True|False|None)\b)/.exec(
      rest,
    );
    if (literal) {
      this.pos = start + literal[0].length;
      if (literal[3] !== undefined) return Number(literal[3]);
      if (literal[4] !== undefined) return literal[4] === "None" ? null : literal[4] === "True";
      return literal[1] ?? literal[2];
    }
    return this.expression();
  }

  private sequence(open: string, close: string): ExampleValue[] {
    this.expect(open);
    const items: ExampleValue[] = [];
    while (!this.eat(close)) {
      items.push(this.value());
      this.eat(",");
    }
    return items;
  }

  private mapping(): { [key: string]: ExampleValue } {
    this.expect("{");
    const entries: { [key: string]: ExampleValue } = {};
    while (!this.eat("}")) {
      const key = this.value();
      this.expect(":");
      entries[String(key instanceof Expression ? key.text : key)] = this.value();
      this.eat(",");
    }
    return entries;
  }

  /** A name, attribute access, call or subscript: read to the end of the expression, keep its roots. */
  private expression(): Expression {
    const start = this.skip();
    let depth = 0;
    while (this.pos < this.text.length) {
      const c = this.text[this.pos];
      if ("([{".includes(c)) depth++;
      else if (")]}".includes(c)) {
        if (depth === 0) break;
        depth--;
      } else if (c === "," && depth === 0) break;
      this.pos++;
    }
    const text = this.text.slice(start, this.pos).trim();
    if (!text) throw new Error(`cannot read Python at ${start}: ${this.text.slice(start, start + 40)}`);
    const roots = [...text.matchAll(/(?<![.\w])([A-Za-z_]\w*)/g)].map((m) => m[1]);
    return new Expression(text, roots);
  }

  private skip(): number {
    const blank = /^(?:\s|#[^\n]*)*/.exec(this.text.slice(this.pos));
    this.pos += blank ? blank[0].length : 0;
    return this.pos;
  }

  private eat(token: string): boolean {
    if (this.text.startsWith(token, this.skip())) {
      this.pos += token.length;
      return true;
    }
    return false;
  }

  private expect(token: string): void {
    if (!this.eat(token))
      throw new Error(`expected '${token}' at: ${this.text.slice(this.pos, this.pos + 40)}`);
  }
}
