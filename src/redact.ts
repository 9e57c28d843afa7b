/**
 * Removes a secret from text. The runner masks secrets registered with
 * core.setSecret, but only in its own log: outputs, the job summary and runs
 * outside GitHub (the demo, tests) see raw text, so everything we write goes
 * through this as well.
 */
export function redactor(secret: string): (text: string) => string {
  if (secret === '') return (text) => text
  return (text) => text.split(secret).join('***')
}
