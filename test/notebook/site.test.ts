import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { afterEach, describe, expect, it } from 'vitest';
import { highlightTypeScript } from '../../src/notebook/site/highlight';
import { renderMarkdown } from '../../src/notebook/site/markdown';
import { writeSite } from '../../src/notebook/site/site';
import { plotlyLibraryPath } from '../../src/plot/html';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gradlab-site-'));
  dirs.push(dir);
  return dir;
}

const figure = {
  data: [{ type: 'scatter', mode: 'lines', name: 'train', x: [0, 1], y: [1, 0.5] }],
  layout: { title: { text: 'Loss </script> check' }, height: 320 },
  config: { responsive: true },
};

const PNG_1x1 = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';

function sampleNotebook(): Record<string, unknown> {
  return {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: { kernelspec: { name: 'tslab', display_name: 'TypeScript', language: 'typescript' } },
    cells: [
      { cell_type: 'markdown', metadata: {}, source: ['# Gradient descent\n', '\n', 'We minimise $L(w) = \\frac{1}{2}w^2$ step by step.\n', '\n', '$$\nw_{t+1} = w_t - \\eta \\nabla L\n$$\n'] },
      {
        cell_type: 'code', metadata: {}, execution_count: 1,
        source: 'const w = 2; // start\nshow(lineChart({ title: "Loss" }));',
        outputs: [
          { output_type: 'stream', name: 'stdout', text: ['step 1\n', 'step 2\n'] },
          { output_type: 'display_data', metadata: {}, data: { 'application/vnd.plotly.v1+json': figure, 'text/html': '<div>HTML FORM</div>', 'text/plain': 'Figure "Loss"' } },
          { output_type: 'stream', name: 'stderr', text: '\u001b[31mwarning <b>\u001b[0m\n' },
        ],
      },
      {
        cell_type: 'code', metadata: {}, execution_count: 2, source: 'test("w shrinks", 2, () => {});',
        outputs: [
          { output_type: 'display_data', metadata: {}, data: { 'application/vnd.gradlab.test+json': { name: 'w shrinks', points: 2, maxPoints: 2, passed: true, message: '' }, 'text/plain': '✔ w shrinks' } },
          { output_type: 'display_data', metadata: {}, data: { 'application/vnd.gradlab.test+json': { name: 'w is zero', points: 0, maxPoints: 1, passed: false, message: 'expected 0, got 0.5' }, 'text/plain': '✘ w is zero' } },
          { output_type: 'display_data', metadata: {}, data: { 'application/vnd.gradlab.test+json': { name: 'ungraded check', points: 0, maxPoints: 0, passed: true, message: '' }, 'text/plain': '✔ ungraded check' } },
        ],
      },
      {
        cell_type: 'code', metadata: {}, execution_count: 3, source: 'display.png(bytes)',
        outputs: [
          { output_type: 'display_data', metadata: {}, data: { 'image/png': PNG_1x1, 'text/plain': '<image>' } },
          { output_type: 'error', ename: 'TypeError', evalue: 'x is undefined', traceback: ['\u001b[31mTypeError\u001b[0m: x is undefined'] },
        ],
      },
      { cell_type: 'raw', metadata: {}, source: 'raw <text>' },
    ],
  };
}

describe('writeSite', () => {
  it('writes an index, one page per notebook and local assets (plotly.js, KaTeX css and fonts)', () => {
    const out = tempDir();
    writeSite([{ sourcePath: 'lectures/01-descent.ipynb', notebook: sampleNotebook() }], out);
    for (const file of ['index.html', '01-descent.html', 'assets/plotly.min.js', 'assets/katex/katex.min.css', 'assets/site.css', 'assets/site.js']) {
      expect(fs.existsSync(path.join(out, file)), file).toBe(true);
    }
    expect(fs.statSync(path.join(out, 'assets/plotly.min.js')).size).toBe(fs.statSync(plotlyLibraryPath()).size);
    const fonts = fs.readdirSync(path.join(out, 'assets/katex/fonts'));
    const css = fs.readFileSync(path.join(out, 'assets/katex/katex.min.css'), 'utf8');
    const referenced = [...css.matchAll(/url\(fonts\/([^)]+)\)/g)].map((m) => m[1]);
    expect(referenced.length).toBeGreaterThan(10);
    for (const font of referenced) expect(fonts).toContain(font);
    const index = fs.readFileSync(path.join(out, 'index.html'), 'utf8');
    expect(index).toContain('<a class="name" href="01-descent.html">Gradient descent</a>');
    expect(index).toContain('class="katex"'); // the summary's maths
    expect(index).toContain('<span class="tests fail">2/3 tests passed</span>');
  });

  it('renders markdown with maths, highlighted code, every kind of output, and no network URL', () => {
    const out = tempDir();
    writeSite([{ sourcePath: 'descent.ipynb', notebook: sampleNotebook() }], out);
    const page = fs.readFileSync(path.join(out, 'descent.html'), 'utf8');
    expect(page).toContain('<h1>Gradient descent</h1>');
    expect(page).toMatch(/<div class="math-display"><span class="katex-display">/);
    expect(page).toContain('<span class="tok-kw">const</span> w = <span class="tok-num">2</span>; <span class="tok-com">// start</span>');
    expect(page).toContain('<pre class="stream stdout">step 1\nstep 2\n</pre>');
    expect(page).toContain('<pre class="stream stderr">warning &lt;b&gt;\n</pre>');
    expect(page).not.toContain('HTML FORM'); // the Plotly JSON is preferred over the html form
    const json = /<div class="plot" style="height: 320px"><\/div><script type="application\/json" class="plot-data">([^<]*)<\/script>/.exec(page);
    expect(json).not.toBeNull();
    expect(JSON.parse(json?.[1] ?? '')).toEqual(figure);
    expect(page).toContain('<div class="test pass"><span class="mark">✔</span> w shrinks <span class="points">2/2</span></div>');
    expect(page).toContain('<div class="test fail"><span class="mark">✘</span> w is zero <span class="points">0/1</span><div class="message">expected 0, got 0.5</div></div>');
    expect(page).toContain('<div class="test pass"><span class="mark">✔</span> ungraded check</div>');
    expect(page).toContain(`<img alt="" src="data:image/png;base64,${PNG_1x1}">`);
    expect(page).toContain('<pre class="error">TypeError: x is undefined</pre>');
    expect(page).toContain('<pre class="text">raw &lt;text&gt;</pre>');
    expect(page).toContain('<script src="assets/plotly.min.js"></script>');
    expect(page).not.toMatch(/(src|href)="(https?:)?\/\//);
    expect(page).toContain('<a href="index.html">');
  });

  it('names pages by path when base names collide, and links neighbours', () => {
    const out = tempDir();
    writeSite([
      { sourcePath: '/course/a/intro.ipynb', notebook: sampleNotebook() },
      { sourcePath: '/course/b/intro.ipynb', notebook: sampleNotebook() },
    ], out);
    expect(fs.existsSync(path.join(out, 'a-intro.html'))).toBe(true);
    const second = fs.readFileSync(path.join(out, 'b-intro.html'), 'utf8');
    expect(second).toContain('<a href="a-intro.html">← Gradient descent</a>');
  });

  it('a hostile notebook cannot add script through outputs that are not HTML', () => {
    const out = tempDir();
    const hostile = 'x" onerror="alert(1)';
    const notebook = {
      nbformat: 4, nbformat_minor: 5, metadata: {},
      cells: [{
        cell_type: 'code', metadata: {}, execution_count: 1, source: '',
        outputs: [
          { output_type: 'display_data', metadata: {}, data: { 'image/png': hostile } },
          { output_type: 'display_data', metadata: {}, data: { 'text/plain': '<script>alert(2)</script>' } },
          { output_type: 'display_data', metadata: {}, data: { 'application/vnd.gradlab.test+json': { name: '<img src=x onerror=alert(3)>', points: 0, maxPoints: 1, passed: false, message: '</div><script>alert(4)</script>' } } },
          { output_type: 'display_data', metadata: {}, data: { 'application/vnd.plotly.v1+json': { data: [], layout: { title: { text: '</script><script>alert(5)</script>' } } } } },
        ],
      }],
    };
    writeSite([{ sourcePath: 'hostile.ipynb', notebook }], out);
    const page = fs.readFileSync(path.join(out, 'hostile.html'), 'utf8');
    expect(page).not.toContain('onerror="');
    expect(page).not.toMatch(/<script>alert/);
    expect(page).not.toMatch(/<img src=x/);
    expect(page).toContain('<pre class="text">malformed image/png output: not base64</pre>');
  });

  it('says which notebook is not nbformat 4', () => {
    expect(() => writeSite([{ sourcePath: 'old.ipynb', notebook: { nbformat: 3, cells: [] } }], tempDir())).toThrow(
      'old.ipynb: nbformat 3 is not supported',
    );
  });
});

describe('renderMarkdown', () => {
  it('keeps maths away from emphasis, leaves dollars in code and prices alone', () => {
    const html = renderMarkdown('Loss $a_i * b_i$ costs $5 and $10, code `$x$`, and **bold**.');
    expect(html).toContain('class="katex"');
    expect(html).toContain('<annotation encoding="application/x-tex">a_i * b_i</annotation>');
    expect(html).toContain('costs $5 and $10');
    expect(html).toContain('<code>$x$</code>');
    expect(html).toContain('<strong>bold</strong>');
  });

  it('hands KaTeX the TeX exactly as written: escapes, braces, _ and * inside maths, $$ blocks', () => {
    /** The TeX sources KaTeX rendered, from the annotation it keeps of each formula. */
    const texOf = (html: string): string[] =>
      [...html.matchAll(/<annotation encoding="application\/x-tex">([\s\S]*?)<\/annotation>/g)].map((m) => (m[1] ?? '').replace(/&amp;/g, '&'));
    const inline = [
      '\\sqrt{2/n} \\approx 14\\,\\%', // notebook 01: ends in an escape
      '\\{x_1, \\dots, x_n\\}',
      'a_i * b_i + c_j * d_j',
      '\\mathbb{E}[z_i^2] = \\tfrac{1}{2}\\,\\mathrm{Var}(w)',
      '\\text{cost} = \\$5',
      'x_{*}^{*}',
      '\\|W\\|_F',
      '\\left( a \\right)',
      '\\#\\&\\_',
    ];
    for (const tex of inline) {
      const html = renderMarkdown(`Before $${tex}$ after_1 and *em*.`);
      expect(texOf(html), tex).toEqual([tex]);
      expect(html, tex).not.toContain('katex-error');
      expect(html, tex).toMatch(/ after_1 and <em>em<\/em>\.<\/p>\n$/);
    }
    const blocks = [
      'w_{t+1} = w_t - \\eta\\,\\nabla L \\quad (\\text{about } 14\\,\\%)',
      '\\begin{aligned} a_1 &= b * c \\\\ \\{d\\} &= e_2 \\end{aligned}',
    ];
    for (const tex of blocks) {
      const html = renderMarkdown(`Text *one*.\n\n$$\n${tex}\n$$\n\nMore text.`);
      expect(texOf(html), tex).toEqual([tex]);
      expect(html, tex).toContain('<div class="math-display"><span class="katex-display">');
      expect(html, tex).not.toContain('katex-error');
    }
    // $$ ... $$ inside a paragraph is displayed too, and two formulas on a line stay apart.
    expect(texOf(renderMarkdown('so $$a_1 * b_1\\,\\%$$ and $x_1$, $y_1$.'))).toEqual(['a_1 * b_1\\,\\%', 'x_1', 'y_1']);
  });

  it('renders \\begin{align} blocks and highlights TypeScript code blocks', () => {
    const html = renderMarkdown('\\begin{align}\na &= b \\\\\nc &= d\n\\end{align}\n\n```ts\nlet x = 1;\n```\n');
    expect(html).toContain('<div class="math-display"><span class="katex-display">');
    expect(html).toContain('<pre class="code"><code><span class="tok-kw">let</span> x = <span class="tok-num">1</span>;');
  });
});

describe('highlightTypeScript', () => {
  it('marks keywords, strings, template literals, numbers, comments, types and calls, escaping HTML', () => {
    const html = highlightTypeScript('const t: Tensor = relu(x) /* a<b */ + `v${1}` + "q\\"" + 1e-3;');
    expect(html).toBe(
      '<span class="tok-kw">const</span> t: <span class="tok-type">Tensor</span> = <span class="tok-fn">relu</span>(x) ' +
        '<span class="tok-com">/* a&lt;b */</span> + <span class="tok-str">`v${1}`</span> + <span class="tok-str">&quot;q\\&quot;&quot;</span> + ' +
        '<span class="tok-num">1e-3</span>;',
    );
  });
});
