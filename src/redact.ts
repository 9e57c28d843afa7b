/**
 * Removes secrets from text. The runner masks secrets registered with
 * setSecret (the add-mask command), but only in its own log: outputs, the job summary and runs
 * outside GitHub (the demo, tests) see raw text, so everything we write goes
 * through this as well.
 */
export function redactor(...secrets: string[]): (text: string) => string {
  const active = secrets.filter((secret) => secret !== '')
  return (text) => active.reduce((result, secret) => result.split(secret).join('***'), text)
}
