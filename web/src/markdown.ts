// Lesson text is Markdown written by teachers; it is rendered with raw HTML off (markdown-it
// escapes it) and its link checker, which refuses javascript:, vbscript: and data: URLs, so a
// lesson cannot inject script into the page. Links open beside the app.
import MarkdownIt from "markdown-it";

const markdown = new MarkdownIt({ html: false, linkify: true, typographer: true });
const openLink = markdown.renderer.rules.link_open;
markdown.renderer.rules.link_open = (tokens, index, options, env, self) => {
  tokens[index]!.attrSet("target", "_blank");
  tokens[index]!.attrSet("rel", "noopener noreferrer");
  return openLink
    ? openLink(tokens, index, options, env, self)
    : self.renderToken(tokens, index, options);
};

export function renderMarkdown(source: string): string {
  return markdown.render(source);
}
