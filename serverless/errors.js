'use strict';

/**
 * The Framework prints a resolver's error with its stack. A deploy parameter mistake is the
 * operator's, not a bug: show the message alone, naming the parameter and the fix.
 */
function parameterError(message) {
  const error = new Error(message);
  error.stack = message;
  return error;
}

module.exports = { parameterError };
