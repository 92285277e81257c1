import { defineChecks } from "../../../src/grading/kit/index.ts";
import { askedFor, printedAddress } from "../feedback.ts";
import { recordAddress, WEB_NAME } from "../network.ts";

export default defineChecks([
  {
    id: "asked-name-server",
    title: `You asked the name server for ${WEB_NAME}`,
    weight: 2,
    required: true,
    check: (context) => askedFor(context, WEB_NAME),
  },
  {
    id: "printed-address",
    title: "You printed the address it answered",
    weight: 2,
    required: true,
    check: (context) =>
      printedAddress(context, recordAddress(context.topology, WEB_NAME), WEB_NAME),
  },
]);
