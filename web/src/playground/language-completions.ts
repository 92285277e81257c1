// Completion for JavaScript and TypeScript from TypeScript's language service, in the type-check
// worker: after `net.` the module's real exports, after `socket.` a UdpSocket's methods, each
// with its signature, and the rest as TypeScript sees it (locals, built-ins, keywords). Until
// the worker has loaded (or should it fail to), the `net` word list and the names declared in
// the file (CodeMirror's own scan) answer instead, so completion never waits for TypeScript.
import type {
  Completion,
  CompletionContext,
  CompletionResult,
  CompletionSource,
} from "@codemirror/autocomplete";
import { localCompletionSource } from "@codemirror/lang-javascript";
import { netCompletionSource } from "./net-completions.ts";
import type { CheckedLanguage } from "./type-check.ts";
import {
  completionDetailsOf,
  completionsAt,
  startTypeChecking,
  typeCheckingReady,
} from "./type-check-client.ts";
import type { CompletionItem } from "./type-completions.ts";

const WORD = /^[\w$]*$/;

export function languageCompletionSource(
  language: CheckedLanguage,
  declarations: string,
): CompletionSource {
  const words = netCompletionSource(declarations);
  const fallback = (context: CompletionContext): CompletionResult | null => {
    const net = words(context);
    const local = localCompletionSource(context);
    if (!net || !local || net.from !== local.from) return net ?? local;
    return { from: net.from, options: [...net.options, ...local.options], validFor: WORD };
  };

  return async (context) => {
    // Typed, not asked for (Ctrl-Space): only within a word or right after a dot.
    if (!context.explicit && !context.matchBefore(/(?:[\w$]+|\.)$/)) return null;
    if (!typeCheckingReady()) {
      startTypeChecking();
      return fallback(context);
    }
    const code = context.state.doc.toString();
    const request = { code, language, declarations, position: context.pos };
    const found = await completionsAt(request).catch(() => undefined);
    if (found === undefined) return fallback(context);
    if (!found || context.aborted) return null;
    const options = found.items.map((item): Completion => ({
      label: item.label,
      type: item.type,
      boost: item.boost,
      ...(item.detail === undefined ? {} : { detail: item.detail }),
      ...(item.apply === undefined ? {} : { apply: item.apply }),
      info: () => describe(request, item),
    }));
    return { from: found.from, options, validFor: WORD };
  };
}

/** The entry's signature and documentation, asked for when the learner selects it. */
async function describe(
  request: Omit<Parameters<typeof completionDetailsOf>[0], "entry">,
  item: CompletionItem,
): Promise<Node | null> {
  const details = await completionDetailsOf({ ...request, entry: item }).catch(() => null);
  if (!details || (!details.signature && !details.documentation)) return null;
  const dom = document.createElement("div");
  dom.className = "cm-type-info";
  if (details.signature)
    dom.appendChild(document.createElement("code")).textContent = details.signature;
  if (details.documentation) {
    dom.appendChild(document.createElement("p")).textContent = details.documentation;
  }
  return dom;
}
