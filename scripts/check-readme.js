// Checks README.md's `## Inputs` and `## Outputs` tables against action.yml, so
// the documentation cannot drift from what the action declares: every input and
// output listed, none listed that does not exist, and each input's default as
// action.yml has it (`required` for required inputs, `empty` for '').
// Usage: node scripts/check-readme.js [action.yml] [README.md]
import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parse } from 'yaml'

/**
 * @typedef {{ [column: string]: string }} Row a table row, keyed by the header's lower-cased names
 * @typedef {{ description?: unknown, required?: unknown, default?: unknown }} InputSpec
 */

/**
 * Every difference between the README's tables and action.yml, one sentence
 * each; empty when they agree.
 * @param {string} actionYml the text of action.yml
 * @param {string} readme the text of README.md
 * @returns {string[]}
 */
export function checkReadme(actionYml, readme) {
  const action = parse(actionYml)
  const inputs = /** @type {Record<string, InputSpec>} */ (isObject(action) && isObject(action.inputs) ? action.inputs : {})
  const outputs = isObject(action) && isObject(action.outputs) ? action.outputs : {}
  /** @type {string[]} */
  const problems = []

  const inputRows = tableIn(readme, 'Inputs', problems)
  if (inputRows !== undefined) {
    const documented = namedRows(inputRows, 'input', 'Inputs', problems)
    problems.push(...compareNames(Object.keys(inputs), documented, 'input', 'Inputs'))
    if (inputRows.length > 0 && !('default' in inputRows[0])) problems.push('README.md ## Inputs: the table has no "default" column.')
    else {
      for (const [name, row] of documented) {
        const spec = inputs[name]
        if (spec === undefined) continue
        const expected = expectedDefault(spec)
        const shown = normalise(row.default ?? '')
        if (shown !== expected) {
          problems.push(`README.md ## Inputs: ${name} shows the default ${describe(shown)}, but action.yml has ${describe(expected)}.`)
        }
      }
    }
  }

  const outputRows = tableIn(readme, 'Outputs', problems)
  if (outputRows !== undefined) {
    const documented = namedRows(outputRows, 'output', 'Outputs', problems)
    problems.push(...compareNames(Object.keys(outputs), documented, 'output', 'Outputs'))
  }
  return problems
}

/**
 * The rows of the first table under `## <heading>` (before the next `## `
 * heading); undefined, with a problem noted, when there is none.
 * @param {string} readme
 * @param {string} heading
 * @param {string[]} problems
 * @returns {Row[] | undefined}
 */
function tableIn(readme, heading, problems) {
  const lines = readme.split(/\r?\n/)
  const start = lines.findIndex((line) => line.trim() === `## ${heading}`)
  if (start === -1) {
    problems.push(`README.md has no "## ${heading}" section.`)
    return undefined
  }
  /** @type {string[]} */
  const table = []
  for (const line of lines.slice(start + 1)) {
    if (/^##\s/.test(line)) break
    if (line.trimStart().startsWith('|')) table.push(line)
    else if (table.length > 0) break
  }
  if (table.length < 2 || !/^[\s|:-]+$/.test(table[1])) {
    problems.push(`README.md ## ${heading} has no table.`)
    return undefined
  }
  const header = cellsOf(table[0]).map((cell) => cell.toLowerCase())
  return table.slice(2).map((line) => {
    const cells = cellsOf(line)
    return Object.fromEntries(header.map((column, i) => [column, cells[i] ?? '']))
  })
}

/**
 * The cells of a Markdown table row. A `|` inside backticks or escaped as `\|`
 * belongs to the cell.
 * @param {string} line
 * @returns {string[]}
 */
function cellsOf(line) {
  /** @type {string[]} */
  const cells = []
  let cell = ''
  let inCode = false
  const text = line.trim().replace(/^\|/, '').replace(/\|$/, '')
  for (let i = 0; i < text.length; i++) {
    const char = text[i]
    if (char === '\\' && text[i + 1] === '|') {
      cell += '|'
      i++
    } else if (char === '`') {
      inCode = !inCode
      cell += char
    } else if (char === '|' && !inCode) {
      cells.push(cell.trim())
      cell = ''
    } else cell += char
  }
  cells.push(cell.trim())
  return cells
}

/**
 * The rows by the name in their first column, noting rows listed twice.
 * @param {Row[]} rows
 * @param {string} column the first column's header (`input`, `output`)
 * @param {string} heading
 * @param {string[]} problems
 * @returns {Map<string, Row>}
 */
function namedRows(rows, column, heading, problems) {
  /** @type {Map<string, Row>} */
  const byName = new Map()
  for (const row of rows) {
    const name = normalise(row[column] ?? Object.values(row)[0] ?? '')
    if (byName.has(name)) problems.push(`README.md ## ${heading}: ${name} is listed more than once.`)
    byName.set(name, row)
  }
  return byName
}

/**
 * @param {string[]} declared the names in action.yml
 * @param {Map<string, Row>} documented the rows in the README
 * @param {'input' | 'output'} kind
 * @param {string} heading
 * @returns {string[]}
 */
function compareNames(declared, documented, kind, heading) {
  const missing = declared.filter((name) => !documented.has(name))
  const extra = [...documented.keys()].filter((name) => !declared.includes(name))
  return [
    ...missing.map((name) => `README.md ## ${heading}: the ${kind} ${name} is in action.yml but missing from the table.`),
    ...extra.map((name) => `README.md ## ${heading}: the ${kind} ${name} is listed but action.yml has no such ${kind}.`)
  ]
}

/**
 * What the README's default column should say for an input, normalised.
 * @param {InputSpec} spec
 * @returns {string}
 */
function expectedDefault(spec) {
  if (spec.required === true || spec.required === 'true') return 'required'
  return normalise(spec.default === undefined || spec.default === null ? '' : String(spec.default))
}

/**
 * A table cell or default without the Markdown and quoting that do not change
 * its meaning: backticks, surrounding quotes, and `empty` for ''.
 * @param {string} text
 * @returns {string}
 */
function normalise(text) {
  let value = text.trim().replace(/`/g, '').trim()
  while (/^(['"]).*\1$/.test(value) && value.length >= 2) value = value.slice(1, -1).trim()
  return value.toLowerCase() === 'empty' ? '' : value
}

/** @param {string} value */
function describe(value) {
  return value === '' ? 'empty' : value === 'required' ? 'required' : `"${value}"`
}

/**
 * @param {unknown} value
 * @returns {value is Record<string, unknown>}
 */
function isObject(value) {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const [actionPath = 'action.yml', readmePath = 'README.md'] = process.argv.slice(2)
  const problems = checkReadme(readFileSync(actionPath, 'utf8'), readFileSync(readmePath, 'utf8'))
  for (const problem of problems) console.error(problem)
  console.log(`check-readme: ${readmePath} against ${actionPath}, ${problems.length} difference(s)`)
  process.exit(problems.length === 0 ? 0 : 1)
}
