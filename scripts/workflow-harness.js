// Evaluates a workflow file the way the GitHub Actions runner would, far enough
// for tests to check the examples end to end: which events start it, whether a
// job and step run for a given webhook payload, and the exact `with:` values the
// action receives. It implements only the part of the expression language the
// examples use and throws on anything else, so an example that grows beyond it
// fails a test instead of being silently mis-evaluated.
import { readFileSync } from 'node:fs'
import { parse } from 'yaml'

/**
 * @typedef {{ [key: string]: unknown }} JsonObject
 *
 * @typedef {object} Context the expression contexts; a missing one behaves as an empty object
 * @property {JsonObject} [github] event_name, event (the webhook payload), repository, token, workflow, …
 * @property {Record<string, string>} [secrets]
 * @property {JsonObject} [inputs] for workflow_dispatch, actionStep fills it from github.event.inputs
 * @property {Record<string, string>} [vars]
 * @property {JsonObject} [steps] earlier steps' results: { <id>: { outputs: { … } } }
 * @property {Record<string, string>} [env]
 *
 * @typedef {{ id?: string, name?: string, uses?: string, run?: string, if?: unknown,
 *   with?: Record<string, unknown>, env?: Record<string, unknown>, [key: string]: unknown }} Step
 *
 * @typedef {{ if?: unknown, 'runs-on'?: unknown, 'timeout-minutes'?: number,
 *   permissions?: Record<string, string> | string,
 *   concurrency?: string | { group: string, 'cancel-in-progress'?: boolean | string },
 *   env?: Record<string, unknown>, steps?: Step[], [key: string]: unknown }} Job
 *
 * @typedef {{ name?: string, on: unknown, permissions?: Record<string, string> | string,
 *   concurrency?: unknown, env?: Record<string, unknown>, jobs: Record<string, Job>,
 *   [key: string]: unknown }} Workflow
 *
 * @typedef {object} ActionStep
 * @property {string} jobId
 * @property {Job} job
 * @property {Step} step
 * @property {boolean} jobIf whether the job's `if:` lets it run
 * @property {boolean} stepIf whether the step's `if:` lets it run
 * @property {Record<string, string>} with the inputs the action receives, expressions filled in
 */

/** Every context this harness knows. The runner has more (needs, matrix, runner, job, …); using them throws. */
export const CONTEXTS = Object.freeze(['github', 'secrets', 'inputs', 'vars', 'steps', 'env'])
// Where the runner evaluates each kind of value, only some contexts exist: secrets
// are not available to `if:`, and a job's `if:` runs before any step or env exists.
const JOB_IF_CONTEXTS = ['github', 'inputs', 'vars']
const STEP_IF_CONTEXTS = ['github', 'inputs', 'vars', 'steps', 'env']

/**
 * Reads and parses a workflow file. YAML 1.2 (the `yaml` package's default)
 * keeps the `on` key a string, as GitHub does, where YAML 1.1 would make it `true`.
 * @param {string} path
 * @returns {Workflow}
 */
export function loadWorkflow(path) {
  const workflow = parse(readFileSync(path, 'utf8'))
  if (!isObject(workflow) || !isObject(workflow.jobs)) throw new Error(`${path} is not a workflow: it has no jobs`)
  if (!('on' in workflow)) throw new Error(`${path} is not a workflow: it has no "on" key`)
  return /** @type {Workflow} */ (workflow)
}

/**
 * The events that start the workflow, each with its `types` (null when it has none).
 * @param {Workflow} workflow
 * @returns {Record<string, string[] | null>}
 */
export function triggers(workflow) {
  const on = workflow.on
  /** @type {Record<string, string[] | null>} */
  const result = {}
  if (typeof on === 'string') {
    result[on] = null
  } else if (Array.isArray(on)) {
    for (const name of on) result[String(name)] = null
  } else if (isObject(on)) {
    for (const [name, config] of Object.entries(on)) {
      const types = isObject(config) ? config.types : undefined
      result[name] = types === undefined || types === null ? null : (Array.isArray(types) ? types : [types]).map(String)
    }
  } else {
    throw new Error(`"on" must be an event name, a list or a map, not ${JSON.stringify(on)}`)
  }
  return result
}

/**
 * Finds the one step that uses openhands-cloud-action and evaluates it as the
 * runner would for the given event: the job's and step's `if:`, then its `with:`.
 * @param {Workflow} workflow
 * @param {Context} context
 * @returns {ActionStep}
 */
export function actionStep(workflow, context) {
  const found = Object.entries(workflow.jobs).flatMap(([jobId, job]) =>
    (job.steps ?? []).filter((step) => typeof step.uses === 'string' && step.uses.includes('openhands-cloud-action')).map((step) => ({ jobId, job, step }))
  )
  if (found.length !== 1) throw new Error(`expected exactly one step using openhands-cloud-action, found ${found.length}`)
  const { jobId, job, step } = found[0]

  const github = context.github ?? {}
  const base = { ...context, github, inputs: context.inputs ?? dispatchInputs(workflow, github), vars: context.vars ?? {} }
  const jobIf = evaluateCondition(job.if, base, JOB_IF_CONTEXTS)

  // env layers are visible to the next layer down, each filled in with what is above it.
  const jobEnv = withEnv(withEnv(base.env ?? {}, workflow.env, base), job.env, base)
  const stepContext = { ...base, steps: context.steps ?? {}, env: jobEnv }
  const stepIf = evaluateCondition(step.if, stepContext, STEP_IF_CONTEXTS)
  const withContext = { ...stepContext, env: withEnv(jobEnv, step.env, stepContext) }

  /** @type {Record<string, string>} */
  const inputs = {}
  for (const [name, value] of Object.entries(step.with ?? {})) {
    // The runner hands every input over as a string: `wait: true` arrives as 'true', an empty value as ''.
    inputs[name] = interpolate(value === null || value === undefined ? '' : String(value), withContext)
  }
  return { jobId, job, step, jobIf, stepIf, with: inputs }
}

/**
 * The `inputs` context of a workflow_dispatch run: the payload's values (always
 * strings) typed by the workflow's declarations, with their defaults, as the runner does.
 * @param {Workflow} workflow
 * @param {JsonObject} github
 * @returns {JsonObject}
 */
function dispatchInputs(workflow, github) {
  if (github.event_name !== 'workflow_dispatch') return {}
  const event = isObject(github.event) ? github.event : {}
  const given = isObject(event.inputs) ? event.inputs : {}
  const dispatch = isObject(workflow.on) && isObject(workflow.on.workflow_dispatch) ? workflow.on.workflow_dispatch : {}
  const declared = isObject(dispatch.inputs) ? dispatch.inputs : {}
  /** @type {JsonObject} */
  const result = { ...given }
  for (const [name, spec] of Object.entries(declared)) {
    const definition = isObject(spec) ? spec : {}
    const raw = name in given ? given[name] : definition.default
    if (definition.type === 'boolean') result[name] = raw === true || String(raw).toLowerCase() === 'true'
    else if (definition.type === 'number') result[name] = raw === undefined || raw === '' ? null : Number(raw)
    else result[name] = raw === undefined || raw === null ? '' : String(raw)
  }
  return result
}

/**
 * @param {Record<string, string>} env
 * @param {Record<string, unknown> | undefined} layer
 * @param {Context} context
 */
function withEnv(env, layer, context) {
  const result = { ...env }
  for (const [name, value] of Object.entries(layer ?? {})) {
    result[name] = interpolate(value === null || value === undefined ? '' : String(value), { ...context, env: result })
  }
  return result
}

/**
 * Whether a job's or step's `if:` lets it run. Like the runner: no `if:` means
 * run, `${{ }}` around the whole condition is optional, and the value's
 * truthiness decides. (The runner adds an implicit `success() &&`; success() is
 * always true here, so it changes nothing.)
 * @param {unknown} ifValue
 * @param {Context} context
 * @param {readonly string[]} [contexts] the contexts the condition may use
 * @returns {boolean}
 */
export function condition(ifValue, context, contexts = CONTEXTS) {
  return evaluateCondition(ifValue, context, contexts)
}

/**
 * @param {unknown} ifValue
 * @param {Context} context
 * @param {readonly string[]} contexts
 */
function evaluateCondition(ifValue, context, contexts) {
  if (ifValue === undefined || ifValue === null) return true
  if (typeof ifValue === 'boolean') return ifValue
  if (typeof ifValue === 'number') return truthy(ifValue)
  if (typeof ifValue !== 'string') throw new Error(`if: must be a string, not ${JSON.stringify(ifValue)}`)
  const text = ifValue.trim()
  if (text === '') return true
  const parts = splitTemplate(text)
  if (parts.length === 1 && typeof parts[0] !== 'string') return truthy(evaluateIn(parts[0].expression, context, contexts))
  if (parts.some((part) => typeof part !== 'string')) {
    // The runner would make this a string, and a non-empty string is always true:
    // `if: ${{ a }} && ${{ b }}` never skips anything. That is always a mistake.
    throw new Error(`if: mixes \${{ }} with other text, which GitHub treats as an always-true string: ${text}`)
  }
  return truthy(evaluateIn(text, context, contexts))
}

/**
 * Replaces each `${{ expr }}` in a string with its value: null becomes '',
 * objects and arrays JSON, numbers and booleans their text. Everything outside
 * the expressions, line breaks included, is kept exactly.
 * @param {string} text
 * @param {Context} context
 * @param {readonly string[]} [contexts] the contexts the expressions may use
 * @returns {string}
 */
export function interpolate(text, context, contexts = CONTEXTS) {
  return splitTemplate(text)
    .map((part) => {
      if (typeof part === 'string') return part
      const value = evaluateIn(part.expression, context, contexts)
      if (value === null || value === undefined) return ''
      if (typeof value === 'object') return JSON.stringify(value)
      return typeof value === 'number' ? formatNumber(value) : String(value)
    })
    .join('')
}

/**
 * Splits a string into literal text and `${{ }}` expressions. The closing `}}`
 * is the first one outside a quoted string, so `${{ '}}' }}` is one expression.
 * @param {string} text
 * @returns {Array<string | { expression: string }>}
 */
function splitTemplate(text) {
  /** @type {Array<string | { expression: string }>} */
  const parts = []
  let position = 0
  for (;;) {
    const start = text.indexOf('${{', position)
    if (start === -1) break
    if (start > position) parts.push(text.slice(position, start))
    let index = start + 3
    let quoted = false
    while (index < text.length && (quoted || !text.startsWith('}}', index))) {
      if (text[index] === "'") quoted = !quoted // '' inside a string toggles twice: still quoted
      index++
    }
    if (index >= text.length) throw new Error(`unclosed \${{ in: ${text}`)
    parts.push({ expression: text.slice(start + 3, index) })
    position = index + 2
  }
  if (position < text.length) parts.push(text.slice(position))
  return parts
}

/**
 * Evaluates one GitHub Actions expression (without `${{ }}`).
 * @param {string} expression
 * @param {Context} context
 * @returns {unknown}
 */
export function evaluate(expression, context) {
  return evaluateIn(expression, context, CONTEXTS)
}

/**
 * @param {string} expression
 * @param {Context} context
 * @param {readonly string[]} contexts
 * @returns {unknown}
 */
function evaluateIn(expression, context, contexts) {
  try {
    const parser = new Parser(tokenize(expression))
    const tree = parser.parseExpression()
    parser.expectEnd()
    return evaluateNode(tree, context, contexts)
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error)
    throw new Error(`${message} (in expression: ${expression.trim()})`)
  }
}

// ---------------------------------------------------------------------------
// Lexer

/**
 * @typedef {{ kind: 'string', value: string } | { kind: 'number', value: number }
 *   | { kind: 'word', value: string } | { kind: 'punct', value: string }} Token
 */

const PUNCTUATION = ['==', '!=', '&&', '||', '!', '(', ')', '[', ']', ',', '.']
const WORD = /^[A-Za-z_][A-Za-z0-9_-]*/
// Decimal (a leading sign is part of the literal, exponents allowed), 0x hexadecimal
// and 0o octal, the forms the runner's number parsing reads.
const NUMBER_FORMS = String.raw`(?:0x[0-9a-fA-F]+|0o[0-7]+|[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?)`
const NUMBER = new RegExp(`^${NUMBER_FORMS}(?![A-Za-z0-9_])`)
const NUMBER_TEXT = new RegExp(`^${NUMBER_FORMS}$`)

/**
 * @param {string} source
 * @returns {Token[]}
 */
function tokenize(source) {
  /** @type {Token[]} */
  const tokens = []
  let index = 0
  while (index < source.length) {
    const rest = source.slice(index)
    const space = /^\s+/.exec(rest)
    if (space) {
      index += space[0].length
      continue
    }
    if (rest[0] === "'") {
      let value = ''
      let end = 1
      for (;;) {
        if (end >= rest.length) throw new Error('unterminated string literal')
        if (rest[end] === "'") {
          if (rest[end + 1] === "'") {
            value += "'"
            end += 2
            continue
          }
          break
        }
        value += rest[end++]
      }
      tokens.push({ kind: 'string', value })
      index += end + 1
      continue
    }
    // A number may not follow a dot: `a.b.0` is not a property access the runner allows either.
    const previous = tokens.at(-1)
    const number = previous?.kind === 'punct' && previous.value === '.' ? null : NUMBER.exec(rest)
    if (number) {
      tokens.push({ kind: 'number', value: toNumber(number[0]) })
      index += number[0].length
      continue
    }
    const word = WORD.exec(rest)
    if (word) {
      tokens.push({ kind: 'word', value: word[0] })
      index += word[0].length
      continue
    }
    const punct = PUNCTUATION.find((candidate) => rest.startsWith(candidate))
    if (punct) {
      tokens.push({ kind: 'punct', value: punct })
      index += punct.length
      continue
    }
    const comparison = /^(<=|>=|<|>)/.exec(rest)
    if (comparison) throw new Error(`the operator ${comparison[0]} is not supported by the workflow harness`)
    if (rest[0] === '*') throw new Error('object filters (*) are not supported by the workflow harness')
    if (/^[+-]?\.?\d/.test(rest)) throw new Error(`invalid number ${JSON.stringify(/^\S+/.exec(rest)?.[0])}`)
    throw new Error(`unexpected character ${JSON.stringify(rest[0])} at position ${index}`)
  }
  return tokens
}

// ---------------------------------------------------------------------------
// Parser: precedence from the docs, loosest first: ||, &&, == !=, !, then . [] ()

/**
 * @typedef {{ type: 'literal', value: unknown } | { type: 'context', name: string }
 *   | { type: 'member', object: Node, key: Node } | { type: 'call', name: string, args: Node[] }
 *   | { type: 'not', operand: Node } | { type: 'binary', operator: string, left: Node, right: Node }} Node
 */

class Parser {
  /** @param {Token[]} tokens */
  constructor(tokens) {
    this.tokens = tokens
    this.index = 0
  }

  /** @param {string} value */
  isPunct(value) {
    const token = this.tokens[this.index]
    return token?.kind === 'punct' && token.value === value
  }

  /** @param {string} value */
  expectPunct(value) {
    if (!this.isPunct(value)) throw new Error(`expected ${value} but found ${this.describe()}`)
    this.index++
  }

  expectEnd() {
    if (this.index < this.tokens.length) throw new Error(`unexpected ${this.describe()}`)
  }

  describe() {
    const token = this.tokens[this.index]
    if (token === undefined) return 'the end of the expression'
    return token.kind === 'string' ? `'${token.value}'` : String(token.value)
  }

  /** @returns {Node} */
  parseExpression() {
    let left = this.parseAnd()
    while (this.isPunct('||')) {
      this.index++
      left = { type: 'binary', operator: '||', left, right: this.parseAnd() }
    }
    return left
  }

  /** @returns {Node} */
  parseAnd() {
    let left = this.parseEquality()
    while (this.isPunct('&&')) {
      this.index++
      left = { type: 'binary', operator: '&&', left, right: this.parseEquality() }
    }
    return left
  }

  /** @returns {Node} */
  parseEquality() {
    let left = this.parseUnary()
    while (this.isPunct('==') || this.isPunct('!=')) {
      const operator = /** @type {string} */ (this.tokens[this.index++].value)
      left = { type: 'binary', operator, left, right: this.parseUnary() }
    }
    return left
  }

  /** @returns {Node} */
  parseUnary() {
    if (this.isPunct('!')) {
      this.index++
      return { type: 'not', operand: this.parseUnary() }
    }
    return this.parsePostfix()
  }

  /** @returns {Node} */
  parsePostfix() {
    let node = this.parsePrimary()
    for (;;) {
      if (this.isPunct('.')) {
        this.index++
        const name = this.tokens[this.index]
        if (name?.kind !== 'word') throw new Error(`expected a property name after . but found ${this.describe()}`)
        this.index++
        node = { type: 'member', object: node, key: { type: 'literal', value: name.value } }
      } else if (this.isPunct('[')) {
        this.index++
        const key = this.parseExpression()
        this.expectPunct(']')
        node = { type: 'member', object: node, key }
      } else {
        return node
      }
    }
  }

  /** @returns {Node} */
  parsePrimary() {
    const token = this.tokens[this.index]
    if (token === undefined) throw new Error('the expression ended too early')
    this.index++
    if (token.kind === 'string' || token.kind === 'number') return { type: 'literal', value: token.value }
    if (token.kind === 'punct') {
      if (token.value !== '(') throw new Error(`unexpected ${token.value}`)
      const inner = this.parseExpression()
      this.expectPunct(')')
      return inner
    }
    if (token.value === 'true') return { type: 'literal', value: true }
    if (token.value === 'false') return { type: 'literal', value: false }
    if (token.value === 'null') return { type: 'literal', value: null }
    if (this.isPunct('(')) {
      this.index++
      /** @type {Node[]} */
      const args = []
      if (!this.isPunct(')')) {
        args.push(this.parseExpression())
        while (this.isPunct(',')) {
          this.index++
          args.push(this.parseExpression())
        }
      }
      this.expectPunct(')')
      return { type: 'call', name: token.value, args }
    }
    return { type: 'context', name: token.value }
  }
}

// ---------------------------------------------------------------------------
// Evaluation, following the runner's rules for coercion, equality and truthiness

/**
 * @param {Node} node
 * @param {Context} context
 * @param {readonly string[]} contexts
 * @returns {unknown}
 */
function evaluateNode(node, context, contexts) {
  switch (node.type) {
    case 'literal':
      return node.value
    case 'context': {
      // Context names are case-insensitive in the runner.
      const name = node.name.toLowerCase()
      if (!CONTEXTS.includes(name)) throw new Error(`unknown context ${node.name} (the workflow harness knows ${CONTEXTS.join(', ')})`)
      if (!contexts.includes(name)) throw new Error(`the ${name} context is not available here (only ${contexts.join(', ')})`)
      const value = /** @type {Record<string, unknown>} */ (context)[name]
      return value === undefined ? {} : value
    }
    case 'member':
      return member(evaluateNode(node.object, context, contexts), evaluateNode(node.key, context, contexts))
    case 'not':
      return !truthy(evaluateNode(node.operand, context, contexts))
    case 'binary': {
      const left = evaluateNode(node.left, context, contexts)
      // && and || return one of their operands, and evaluate the right one only when needed.
      if (node.operator === '&&') return truthy(left) ? evaluateNode(node.right, context, contexts) : left
      if (node.operator === '||') return truthy(left) ? left : evaluateNode(node.right, context, contexts)
      const equal = looseEqual(left, evaluateNode(node.right, context, contexts))
      return node.operator === '==' ? equal : !equal
    }
    case 'call':
      return call(
        node.name,
        node.args.map((arg) => evaluateNode(arg, context, contexts))
      )
  }
}

/**
 * Property access never throws: anything missing is null.
 * @param {unknown} object
 * @param {unknown} key
 */
function member(object, key) {
  if (Array.isArray(object)) {
    // An array takes a number, or a string that reads as one ('0'); anything else finds nothing.
    if (!isPrimitive(key) || (typeof key === 'string' && !/^\s*\d/.test(key))) return null
    const index = toNumber(key)
    return Number.isInteger(index) && index >= 0 && index < object.length ? object[index] : null
  }
  if (isObject(object) && (typeof key === 'string' || typeof key === 'number')) {
    const name = String(key)
    if (Object.hasOwn(object, name)) return object[name] ?? null
    // Property names are case-insensitive in the runner, too.
    const match = Object.keys(object).find((candidate) => candidate.toLowerCase() === name.toLowerCase())
    return match === undefined ? null : (object[match] ?? null)
  }
  return null
}

/** @type {Record<string, { arity: [number, number], run: (args: unknown[]) => unknown }>} */
const FUNCTIONS = {
  contains: {
    arity: [2, 2],
    run: ([search, item]) => {
      if (isPrimitive(search)) return isPrimitive(item) && toText(search).toLowerCase().includes(toText(item).toLowerCase())
      return Array.isArray(search) && search.some((element) => looseEqual(item, element))
    }
  },
  startswith: {
    arity: [2, 2],
    run: ([text, prefix]) => isPrimitive(text) && isPrimitive(prefix) && toText(text).toLowerCase().startsWith(toText(prefix).toLowerCase())
  },
  endswith: {
    arity: [2, 2],
    run: ([text, suffix]) => isPrimitive(text) && isPrimitive(suffix) && toText(text).toLowerCase().endsWith(toText(suffix).toLowerCase())
  },
  format: { arity: [1, Infinity], run: ([pattern, ...args]) => format(toText(pattern), args) },
  join: {
    arity: [1, 2],
    run: ([items, separator]) => {
      if (Array.isArray(items)) {
        const glue = separator !== undefined && isPrimitive(separator) ? toText(separator) : ','
        return items.map((item) => (isPrimitive(item) ? toText(item) : '')).join(glue)
      }
      return isPrimitive(items) ? toText(items) : ''
    }
  },
  // The runner's toJSON indents with two spaces.
  tojson: { arity: [1, 1], run: ([value]) => JSON.stringify(value ?? null, null, 2) },
  fromjson: {
    arity: [1, 1],
    run: ([text]) => {
      try {
        return JSON.parse(toText(text))
      } catch (error) {
        throw new Error(`fromJSON could not parse ${JSON.stringify(toText(text))}: ${error instanceof Error ? error.message : error}`)
      }
    }
  },
  // A test evaluates one step of a run where nothing has failed or been cancelled.
  always: { arity: [0, 0], run: () => true },
  success: { arity: [0, 0], run: () => true },
  failure: { arity: [0, 0], run: () => false },
  cancelled: { arity: [0, 0], run: () => false }
}

/**
 * @param {string} name
 * @param {unknown[]} args
 */
function call(name, args) {
  // Function names are case-insensitive in the runner (toJson, fromJson, …).
  const fn = FUNCTIONS[name.toLowerCase()]
  if (fn === undefined) throw new Error(`the function ${name}() is not supported by the workflow harness`)
  const [min, max] = fn.arity
  if (args.length < min || args.length > max) {
    throw new Error(`${name}() takes ${min === max ? min : `${min} or more`} argument(s), not ${args.length}`)
  }
  return fn.run(args)
}

/**
 * format('{0} and {1}', a, b); `{{` and `}}` are literal braces.
 * @param {string} pattern
 * @param {unknown[]} args
 */
function format(pattern, args) {
  let result = ''
  for (let index = 0; index < pattern.length; index++) {
    const char = pattern[index]
    if ((char === '{' || char === '}') && pattern[index + 1] === char) {
      result += char
      index++
    } else if (char === '{') {
      const match = /^\{(\d+)\}/.exec(pattern.slice(index))
      if (!match) throw new Error(`format() string is invalid: ${pattern}`)
      const position = Number(match[1])
      if (position >= args.length) throw new Error(`format() string refers to argument {${position}} but only ${args.length} were given`)
      result += toText(args[position])
      index += match[0].length - 1
    } else if (char === '}') {
      throw new Error(`format() string is invalid: ${pattern}`)
    } else {
      result += char
    }
  }
  return result
}

/**
 * The runner's equality: same kinds compare directly (strings ignoring case,
 * objects and arrays by identity); otherwise null and booleans become numbers,
 * and a string compared with a number becomes a number too.
 * @param {unknown} left
 * @param {unknown} right
 * @returns {boolean}
 */
function looseEqual(left, right) {
  const leftKind = kind(left)
  const rightKind = kind(right)
  if (leftKind === rightKind) {
    if (leftKind === 'string') return /** @type {string} */ (left).toLowerCase() === /** @type {string} */ (right).toLowerCase()
    if (leftKind === 'null') return true
    return left === right // numbers (NaN never equals), booleans, and objects by identity
  }
  if ((leftKind === 'number' && rightKind === 'string') || (leftKind === 'string' && rightKind === 'number')) {
    return toNumber(left) === toNumber(right)
  }
  if (leftKind === 'boolean' || leftKind === 'null') return looseEqual(toNumber(left), right)
  if (rightKind === 'boolean' || rightKind === 'null') return looseEqual(left, toNumber(right))
  return false
}

/** @param {unknown} value */
function kind(value) {
  if (value === null || value === undefined) return 'null'
  if (Array.isArray(value)) return 'array'
  return typeof value === 'object' ? 'object' : typeof value
}

/**
 * @param {unknown} value
 * @returns {boolean}
 */
function truthy(value) {
  if (value === null || value === undefined) return false
  if (typeof value === 'boolean') return value
  if (typeof value === 'number') return value !== 0 && !Number.isNaN(value)
  if (typeof value === 'string') return value !== ''
  return true
}

/**
 * @param {unknown} value
 * @returns {number}
 */
function toNumber(value) {
  if (value === null || value === undefined) return 0
  if (typeof value === 'boolean') return value ? 1 : 0
  if (typeof value === 'number') return value
  if (typeof value === 'string') {
    const text = value.trim()
    if (text === '') return 0
    if (text === 'Infinity') return Number.POSITIVE_INFINITY
    if (text === '-Infinity') return Number.NEGATIVE_INFINITY
    if (!NUMBER_TEXT.test(text)) return Number.NaN
    if (text.startsWith('0x')) return Number.parseInt(text.slice(2), 16)
    if (text.startsWith('0o')) return Number.parseInt(text.slice(2), 8)
    return Number(text)
  }
  return Number.NaN
}

/**
 * The runner's string conversion, used by functions: arrays and objects become
 * their kind's name, which is why contains() on them compares elements instead.
 * @param {unknown} value
 * @returns {string}
 */
function toText(value) {
  if (value === null || value === undefined) return ''
  if (typeof value === 'string') return value
  if (typeof value === 'boolean') return value ? 'true' : 'false'
  if (typeof value === 'number') return formatNumber(value)
  return Array.isArray(value) ? 'Array' : 'Object'
}

/**
 * Numbers print with at most 15 significant digits, like the runner's "G15".
 * @param {number} value
 */
function formatNumber(value) {
  return Number.isFinite(value) ? String(Number(value.toPrecision(15))) : String(value)
}

/**
 * @param {unknown} value
 * @returns {value is null | undefined | string | number | boolean}
 */
function isPrimitive(value) {
  return value === null || value === undefined || ['string', 'number', 'boolean'].includes(typeof value)
}

/**
 * @param {unknown} value
 * @returns {value is JsonObject}
 */
function isObject(value) {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
