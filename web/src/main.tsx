import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { App } from "./app";
import "./styles/base.css";
import "./styles/data.css";
import "./styles/account.css";
import "./styles/analysis.css";
import "./styles/model.css";
import "./styles/team.css";
import "./styles/plays.css";
import "./styles/notify.css";
import "./styles/webhooks.css";
import "./styles/signals.css";

const root = document.getElementById("root");
if (root) {
  createRoot(root).render(
    <StrictMode>
      <App />
    </StrictMode>,
  );
}
