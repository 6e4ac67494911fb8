/**
 * The names notebook cells share through the kernel's top level, read statically: what each code
 * cell declares at its top level, which outside names it assigns, and which outside names it reads
 * (values and types). Scoping is TypeScript's own: each cell is parsed and bound by tslab's compiler
 * (the one that runs the cells), so a parameter or a local that happens to share a name with another
 * cell's declaration is not counted as a use of it.
 */
import { dirname } from 'path';
import type * as TS from 'typescript';

/** What one code cell takes from and gives to the notebook's shared top level. */
export interface CellNames {
  /** Names declared at the cell's top level: variables, functions, classes, types, enums, imports. */
  readonly declares: ReadonlySet<string>;
  /** Names from outside the cell that it assigns (`x = ...`, `x += ...`, `x++`, destructuring). */
  readonly assigns: ReadonlySet<string>;
  /** Names from outside the cell that it reads or writes, as values or as types. */
  readonly uses: ReadonlySet<string>;
}

let compiler: typeof TS | null = null;

/** tslab's TypeScript, found through tslab's own package (a dependency wherever cells can run). */
function typescript(): typeof TS {
  if (compiler === null) {
    const tslabDir = dirname(require.resolve('tslab/package.json'));
    compiler = require(require.resolve('@tslab/typescript-for-tslab', { paths: [tslabDir] })) as typeof TS;
  }
  return compiler;
}

/** True for identifiers that name a property, label or import member rather than a binding. */
function isMemberName(ts: typeof TS, id: TS.Identifier): boolean {
  const parent = id.parent;
  return (
    (ts.isPropertyAccessExpression(parent) && parent.name === id) ||
    (ts.isQualifiedName(parent) && parent.right === id) ||
    (ts.isBindingElement(parent) && parent.propertyName === id) ||
    ((ts.isImportSpecifier(parent) || ts.isExportSpecifier(parent)) && parent.propertyName === id) ||
    ((ts.isLabeledStatement(parent) || ts.isBreakOrContinueStatement(parent)) && parent.label === id) ||
    ts.isMetaProperty(parent) ||
    (ts.isImportTypeNode(parent) && parent.qualifier === id)
  );
}

/** The identifiers an assignment pattern (`x`, `[a, b]`, `{ a, b: c, ...d }`) writes to. */
function assignmentTargets(ts: typeof TS, target: TS.Expression, out: Set<TS.Identifier>): void {
  if (ts.isIdentifier(target)) out.add(target);
  else if (ts.isParenthesizedExpression(target)) assignmentTargets(ts, target.expression, out);
  else if (ts.isArrayLiteralExpression(target)) target.elements.forEach((e) => assignmentTargets(ts, e, out));
  else if (ts.isSpreadElement(target)) assignmentTargets(ts, target.expression, out);
  else if (ts.isBinaryExpression(target) && target.operatorToken.kind === ts.SyntaxKind.EqualsToken) assignmentTargets(ts, target.left, out);
  else if (ts.isObjectLiteralExpression(target)) {
    for (const property of target.properties) {
      if (ts.isShorthandPropertyAssignment(property)) out.add(property.name);
      else if (ts.isPropertyAssignment(property)) assignmentTargets(ts, property.initializer, out);
      else if (ts.isSpreadAssignment(property)) assignmentTargets(ts, property.expression, out);
    }
  }
}

/** The names a binding (`x`, `{ a, b: [c] }`) declares. */
function bindingNames(ts: typeof TS, name: TS.BindingName, out: Set<string>): void {
  if (ts.isIdentifier(name)) out.add(name.text);
  else for (const element of name.elements) if (!ts.isOmittedExpression(element)) bindingNames(ts, element.name, out);
}

/** The names a cell's top-level statements declare. */
function topLevelDeclarations(ts: typeof TS, file: TS.SourceFile): Set<string> {
  const names = new Set<string>();
  for (const statement of file.statements) {
    if (ts.isVariableStatement(statement)) statement.declarationList.declarations.forEach((d) => bindingNames(ts, d.name, names));
    else if (
      (ts.isFunctionDeclaration(statement) || ts.isClassDeclaration(statement) || ts.isInterfaceDeclaration(statement) ||
        ts.isTypeAliasDeclaration(statement) || ts.isEnumDeclaration(statement) || ts.isModuleDeclaration(statement) ||
        ts.isImportEqualsDeclaration(statement)) &&
      statement.name !== undefined && ts.isIdentifier(statement.name)
    ) names.add(statement.name.text);
    else if (ts.isImportDeclaration(statement) && statement.importClause !== undefined) {
      const clause = statement.importClause;
      if (clause.name !== undefined) names.add(clause.name.text);
      const bindings = clause.namedBindings;
      if (bindings !== undefined && ts.isNamespaceImport(bindings)) names.add(bindings.name.text);
      else if (bindings !== undefined) bindings.elements.forEach((e) => names.add(e.name.text));
    }
  }
  return names;
}

/** Results by cell text: a class's submissions share most of their cells with the source. */
const cache = new Map<string, CellNames>();
const CACHE_LIMIT = 5000;

/**
 * The shared names of each cell in `sources` (code cell sources, in notebook order). Each cell is
 * read as a module of its own, so a name counts as used only when no declaration inside the cell
 * binds it.
 */
export function cellNames(sources: readonly string[]): CellNames[] {
  const unknown = [...new Set(sources.filter((text) => !cache.has(text)))];
  if (unknown.length > 0) {
    if (cache.size + unknown.length > CACHE_LIMIT) cache.clear();
    analyse(unknown).forEach((names, i) => cache.set(unknown[i] ?? '', names));
  }
  return sources.map((text) => cache.get(text) ?? analyse([text])[0] as CellNames);
}

function analyse(sources: readonly string[]): CellNames[] {
  const ts = typescript();
  // `export {}` makes each cell a module: its top-level names stay its own, as they do in tslab's view of one cell.
  const texts = new Map(sources.map((text, i) => [`/cell${i}.ts`, `${text}\nexport {};\n`]));
  const options: TS.CompilerOptions = { noLib: true, noResolve: true, types: [], target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext };
  const host: TS.CompilerHost = {
    getSourceFile: (name, language) => {
      const text = texts.get(name);
      return text === undefined ? undefined : ts.createSourceFile(name, text, language, true, ts.ScriptKind.TS);
    },
    getDefaultLibFileName: () => '/lib.d.ts',
    writeFile: () => undefined,
    getCurrentDirectory: () => '/',
    getCanonicalFileName: (name) => name,
    useCaseSensitiveFileNames: () => true,
    getNewLine: () => '\n',
    fileExists: (name) => texts.has(name),
    readFile: (name) => texts.get(name),
  };
  const program = ts.createProgram([...texts.keys()], options, host);
  const checker = program.getTypeChecker();
  return [...texts.keys()].map((name) => {
    const file = program.getSourceFile(name);
    if (file === undefined) return { declares: new Set<string>(), assigns: new Set<string>(), uses: new Set<string>() };
    const declares = topLevelDeclarations(ts, file);
    const assigns = new Set<string>();
    const uses = new Set<string>();
    const targets = new Set<TS.Identifier>();
    const isOutside = (id: TS.Identifier): boolean => {
      const parent = id.parent;
      const symbol = ts.isShorthandPropertyAssignment(parent) && parent.name === id ? checker.getShorthandAssignmentValueSymbol(parent) : checker.getSymbolAtLocation(id);
      return !(symbol?.declarations ?? []).some((d) => d.getSourceFile() === file);
    };
    const visit = (node: TS.Node): void => {
      if (ts.isBinaryExpression(node) && node.operatorToken.kind >= ts.SyntaxKind.FirstAssignment && node.operatorToken.kind <= ts.SyntaxKind.LastAssignment) {
        assignmentTargets(ts, node.left, targets);
      } else if ((ts.isPrefixUnaryExpression(node) || ts.isPostfixUnaryExpression(node)) && (node.operator === ts.SyntaxKind.PlusPlusToken || node.operator === ts.SyntaxKind.MinusMinusToken)) {
        assignmentTargets(ts, node.operand, targets);
      } else if ((ts.isForOfStatement(node) || ts.isForInStatement(node)) && !ts.isVariableDeclarationList(node.initializer)) {
        assignmentTargets(ts, node.initializer, targets);
      }
      if (ts.isIdentifier(node) && !isMemberName(ts, node) && isOutside(node)) {
        uses.add(node.text);
        if (targets.has(node)) assigns.add(node.text);
      }
      ts.forEachChild(node, visit);
    };
    visit(file);
    return { declares, assigns, uses };
  });
}
