// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
//
// The training demo (`make demo`): a small multilayer perceptron, written in plain C++, learns
// the "two moons" classification problem from a generated dataset, and MLflow records it all
// through the fluent API: parameters, the dataset, loss and accuracy per epoch, system metrics
// (CPU, memory, disk, network; GPUs when present), the trained weights as a logged model
// (MLflow 3's model object, with a signature and the last epoch's metrics), registered from
// models:/<model_id> as a version of a registered model, and a prompt registered to go with
// it in the same experiment. The MLflow UI shows the run as a training run with its model, as
// it shows a run of Python's `mlflow.<flavor>.log_model`.
//
// Runs on the embedded default store (sqlite:///mlflow.db in the working directory; artifacts
// in ./mlruns) unless MLFLOW_TRACKING_URI names another store. No server, no Python. Every
// number of the model is deterministic: the data, the initial weights and the batch order come
// from one seeded std::mt19937, whose output the C++ standard fixes.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <random>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "mlflow/mlflow.hpp"

namespace {

// ---- Data --------------------------------------------------------------------------------

struct Example {
  double x0 = 0;
  double x1 = 0;
  int label = 0;
};

// Uniform [0, 1) and standard normal values from raw mt19937 output: the standard library's
// distributions may differ between implementations, the engine's sequence may not.
class Rng {
 public:
  explicit Rng(std::uint32_t seed) : engine_(seed) {}
  double uniform() { return engine_() / 4294967296.0; }
  double normal() {  // Box-Muller
    const double u1 = 1.0 - uniform();
    const double u2 = uniform();
    return std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * M_PI * u2);
  }
  std::size_t below(std::size_t n) { return static_cast<std::size_t>(uniform() * n); }

 private:
  std::mt19937 engine_;
};

// scikit-learn's make_moons: two interleaving half circles plus Gaussian noise.
std::vector<Example> make_moons(std::size_t n, double noise, Rng& rng) {
  std::vector<Example> data;
  for (std::size_t i = 0; i < n; ++i) {
    const int label = static_cast<int>(i % 2);
    const double t = M_PI * rng.uniform();
    Example e;
    e.label = label;
    e.x0 = label == 0 ? std::cos(t) : 1.0 - std::cos(t);
    e.x1 = label == 0 ? std::sin(t) : 0.5 - std::sin(t);
    e.x0 += noise * rng.normal();
    e.x1 += noise * rng.normal();
    data.push_back(e);
  }
  return data;
}

void shuffle(std::vector<std::size_t>& order, Rng& rng) {  // Fisher-Yates, portable
  for (std::size_t i = order.size(); i > 1; --i) std::swap(order[i - 1], order[rng.below(i)]);
}

// ---- Model: 2 -> hidden (tanh) -> hidden (tanh) -> 1 (sigmoid) -----------------------------

struct Layer {
  std::size_t in = 0;
  std::size_t out = 0;
  std::vector<double> w;  // out x in, row-major
  std::vector<double> b;
  std::vector<double> vw;  // momentum
  std::vector<double> vb;
  std::vector<double> gw;  // gradient of the current batch
  std::vector<double> gb;

  Layer(std::size_t in_size, std::size_t out_size, Rng& rng)
      : in(in_size),
        out(out_size),
        w(in_size * out_size),
        b(out_size, 0.0),
        vw(w.size(), 0.0),
        vb(out_size, 0.0),
        gw(w.size(), 0.0),
        gb(out_size, 0.0) {
    const double scale = std::sqrt(1.0 / static_cast<double>(in_size));  // Xavier-style
    for (double& v : w) v = scale * rng.normal();
  }
};

class Mlp {
 public:
  Mlp(std::size_t hidden, Rng& rng) {
    layers_.emplace_back(2, hidden, rng);
    layers_.emplace_back(hidden, hidden, rng);
    layers_.emplace_back(hidden, 1, rng);
  }

  // Probability of class 1; keeps the activations for backward().
  double forward(const Example& e) {
    acts_.assign(1, {e.x0, e.x1});
    for (std::size_t l = 0; l < layers_.size(); ++l) {
      const Layer& layer = layers_[l];
      std::vector<double> next(layer.out);
      for (std::size_t o = 0; o < layer.out; ++o) {
        double z = layer.b[o];
        for (std::size_t i = 0; i < layer.in; ++i) z += layer.w[o * layer.in + i] * acts_[l][i];
        next[o] = l + 1 < layers_.size() ? std::tanh(z) : 1.0 / (1.0 + std::exp(-z));
      }
      acts_.push_back(std::move(next));
    }
    return acts_.back()[0];
  }

  // Adds the gradient of the binary cross-entropy of the last forward() to the batch gradient.
  void backward(int label) {
    std::vector<double> delta = {acts_.back()[0] - label};  // sigmoid + BCE
    for (std::size_t l = layers_.size(); l-- > 0;) {
      Layer& layer = layers_[l];
      std::vector<double> prev(layer.in, 0.0);
      for (std::size_t o = 0; o < layer.out; ++o) {
        layer.gb[o] += delta[o];
        for (std::size_t i = 0; i < layer.in; ++i) {
          layer.gw[o * layer.in + i] += delta[o] * acts_[l][i];
          prev[i] += layer.w[o * layer.in + i] * delta[o];
        }
      }
      for (std::size_t i = 0; i < layer.in; ++i) prev[i] *= 1.0 - acts_[l][i] * acts_[l][i];
      delta = std::move(prev);
    }
  }

  // SGD with momentum on the mean gradient of `batch_size` examples.
  void step(double learning_rate, double momentum, std::size_t batch_size) {
    for (Layer& layer : layers_) {
      for (std::size_t k = 0; k < layer.w.size(); ++k) {
        layer.vw[k] = momentum * layer.vw[k] - learning_rate * layer.gw[k] / batch_size;
        layer.w[k] += layer.vw[k];
        layer.gw[k] = 0;
      }
      for (std::size_t k = 0; k < layer.b.size(); ++k) {
        layer.vb[k] = momentum * layer.vb[k] - learning_rate * layer.gb[k] / batch_size;
        layer.b[k] += layer.vb[k];
        layer.gb[k] = 0;
      }
    }
  }

  std::size_t parameter_count() const {
    std::size_t n = 0;
    for (const Layer& layer : layers_) n += layer.w.size() + layer.b.size();
    return n;
  }

  std::string architecture() const {
    return "mlp 2-" + std::to_string(layers_[0].out) + "-" + std::to_string(layers_[1].out) +
           "-1 tanh/sigmoid";
  }

  // {"architecture": ..., "layers": [{"shape": [out, in], "weights": [[...]], "bias": [...]}]}
  std::string to_json() const {
    std::ostringstream out;
    out << std::setprecision(17);
    out << R"({"architecture": ")" << architecture() << R"(", "layers": [)";
    for (std::size_t l = 0; l < layers_.size(); ++l) {
      const Layer& layer = layers_[l];
      out << (l ? ", " : "") << R"({"shape": [)" << layer.out << ", " << layer.in
          << R"(], "weights": [)";
      for (std::size_t o = 0; o < layer.out; ++o) {
        out << (o ? ", " : "") << "[";
        for (std::size_t i = 0; i < layer.in; ++i) {
          out << (i ? ", " : "") << layer.w[o * layer.in + i];
        }
        out << "]";
      }
      out << R"(], "bias": [)";
      for (std::size_t o = 0; o < layer.out; ++o) out << (o ? ", " : "") << layer.b[o];
      out << "]}";
    }
    out << "]}";
    return out.str();
  }

 private:
  std::vector<Layer> layers_;
  std::vector<std::vector<double>> acts_;
};

struct Evaluation {
  double loss = 0;
  double accuracy = 0;
};

Evaluation evaluate(Mlp& model, const std::vector<Example>& data) {
  Evaluation e;
  for (const Example& x : data) {
    const double p = std::clamp(model.forward(x), 1e-12, 1.0 - 1e-12);
    e.loss -= x.label ? std::log(p) : std::log(1.0 - p);
    e.accuracy += (p >= 0.5) == (x.label == 1) ? 1.0 : 0.0;
  }
  e.loss /= static_cast<double>(data.size());
  e.accuracy /= static_cast<double>(data.size());
  return e;
}

// ---- The run -----------------------------------------------------------------------------

struct Hyperparameters {
  std::uint32_t seed = 42;
  std::size_t samples = 1000;
  double noise = 0.2;
  double train_fraction = 0.8;
  std::size_t hidden = 16;
  std::size_t epochs = 60;
  std::size_t batch_size = 32;
  double learning_rate = 0.02;
  double momentum = 0.9;
};

namespace fs = std::filesystem;

void write_file(const fs::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  if (!out) throw std::runtime_error("cannot write " + path.string());
}

std::string str(double v) {
  std::ostringstream out;
  out << v;
  return out.str();
}

}  // namespace

int main() {
  try {
    const Hyperparameters hp;
    Rng rng(hp.seed);
    std::vector<Example> data = make_moons(hp.samples, hp.noise, rng);
    const auto n_train = static_cast<std::size_t>(hp.train_fraction * data.size());
    const std::vector<Example> train(data.begin(), data.begin() + n_train);
    const std::vector<Example> validation(data.begin() + n_train, data.end());
    Mlp model(hp.hidden, rng);

    // System metrics every 0.5 s (Python's default is 10 s: too slow for a run of seconds).
    const double sampling_interval_s = 0.5;
    mlflow::set_system_metrics_sampling_interval(sampling_interval_s);
    mlflow::set_system_metrics_samples_before_logging(1);

    const mlflow::Experiment experiment = mlflow::set_experiment("cpp-train-demo");
    mlflow::StartRunOptions options;
    options.run_name = "two-moons-mlp";
    options.log_system_metrics = true;
    options.description = "A 2-" + std::to_string(hp.hidden) + "-" + std::to_string(hp.hidden) +
                          "-1 MLP trained on two moons in plain C++ (examples/train_demo.cpp).";
    options.tags = {{"framework", "plain-c++"}, {"task", "binary-classification"}};
    const auto started = std::chrono::steady_clock::now();
    mlflow::ActiveRun run = mlflow::start_run(options);  // FAILED if an exception unwinds it
    std::cout << "Training run " << run.run_id() << " (" << options.run_name.value_or("") << ")\n";

    // One call per param, in the order a reader expects them (the UI lists them as logged).
    for (const auto& [key, value] : std::vector<std::pair<std::string, std::string>>{
             {"seed", std::to_string(hp.seed)},
             {"samples", std::to_string(hp.samples)},
             {"noise", str(hp.noise)},
             {"train_fraction", str(hp.train_fraction)},
             {"hidden_units", std::to_string(hp.hidden)},
             {"epochs", std::to_string(hp.epochs)},
             {"batch_size", std::to_string(hp.batch_size)},
             {"learning_rate", str(hp.learning_rate)},
             {"momentum", str(hp.momentum)},
             {"parameters", std::to_string(model.parameter_count())}}) {
      mlflow::log_param(key, value);
    }
    mlflow::Dataset dataset;
    dataset.name = "two-moons";
    dataset.digest = "moons-" + std::to_string(hp.seed) + "-" + std::to_string(hp.samples);
    dataset.source_type = "code";
    dataset.source = R"({"generator": "make_moons", "noise": )" + str(hp.noise) + "}";
    dataset.schema = R"({"mlflow_colspec": [{"type": "double", "name": "x0"}, )"
                     R"({"type": "double", "name": "x1"}, {"type": "long", "name": "label"}]})";
    dataset.profile = R"({"num_rows": )" + std::to_string(hp.samples) + "}";
    mlflow::log_input(dataset, "training");

    std::vector<std::size_t> order(train.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
    Evaluation val;
    for (std::size_t epoch = 0; epoch < hp.epochs; ++epoch) {
      shuffle(order, rng);
      for (std::size_t start = 0; start < order.size(); start += hp.batch_size) {
        const std::size_t end = std::min(order.size(), start + hp.batch_size);
        for (std::size_t k = start; k < end; ++k) {
          model.forward(train[order[k]]);
          model.backward(train[order[k]].label);
        }
        model.step(hp.learning_rate, hp.momentum, end - start);
      }
      const Evaluation tr = evaluate(model, train);
      val = evaluate(model, validation);
      // One point per metric and epoch: the curves of the run's "Model metrics" charts.
      mlflow::log_metrics({{"train_loss", tr.loss},
                           {"train_accuracy", tr.accuracy},
                           {"val_loss", val.loss},
                           {"val_accuracy", val.accuracy}},
                          static_cast<std::int64_t>(epoch));
      if (epoch % 10 == 0 || epoch + 1 == hp.epochs) {
        std::cout << "  epoch " << std::setw(3) << epoch << "  train_loss " << std::fixed
                  << std::setprecision(4) << tr.loss << "  val_accuracy " << val.accuracy
                  << std::defaultfloat << "\n";
      }
    }

    // The trained model, the MLflow 3 way: a logged model of the run (its own id, artifacts,
    // params and metrics) holding every weight as JSON, with a signature that says what it
    // takes and gives. Logged at the last epoch's step, so that epoch's metrics become the
    // model's metrics; the UI then lists the run as a training run and shows the model.
    const fs::path model_dir =
        fs::temp_directory_path() / ("two-moons-mlp-" + run.run_id());  // unique per run
    fs::create_directories(model_dir);
    write_file(model_dir / "weights.json", model.to_json());
    write_file(model_dir / "README.txt",
               "Two-moons MLP trained by examples/train_demo.cpp.\nInput: (x0, x1); output: "
               "P(label = 1). Load weights.json and apply the layers in order: tanh after the "
               "hidden layers, sigmoid after the last.\n");
    mlflow::LogModelOptions model_options;
    model_options.name = "two-moons-mlp";
    model_options.step = static_cast<std::int64_t>(hp.epochs - 1);
    model_options.flavor = "";  // plain JSON weights: no MLflow flavor loads them
    model_options.metadata = {{"architecture", model.architecture()}, {"weights", "weights.json"}};
    model_options.signature = mlflow::ModelSignature{
        mlflow::Schema(std::vector<mlflow::ColSpec>{{"double", "x0"}, {"double", "x1"}}),
        mlflow::Schema(std::vector<mlflow::ColSpec>{{"double", "probability"}})};
    const mlflow::LoggedModel logged = mlflow::log_model(model_dir.string(), model_options);
    fs::remove_all(model_dir);
    // The registries (the same store by default, see mlflow::set_registry_uri): the logged
    // model as a new version of the registered model, and a prompt that goes with the model.
    mlflow::MlflowClient client = mlflow::default_client();
    const mlflow::ModelVersion version = client.register_model(logged.model_uri(), "two-moons-mlp");
    mlflow::RegisterPromptOptions prompt_options;
    prompt_options.commit_message = "Explains a prediction of two-moons-mlp";
    prompt_options.tags = {{"model", "two-moons-mlp"}, {"model_version", version.version}};
    const mlflow::PromptVersion prompt = client.register_prompt(
        "two-moons-mlp-explainer",
        "The two-moons MLP (model two-moons-mlp, version " + version.version +
            ") gives the point ({{x0}}, {{x1}}) a probability of {{p}} of belonging to the "
            "lower moon. In one sentence, explain this to a {{audience}}.",
        prompt_options);

    // The sampler logs one point per interval; a run shorter than a few intervals (a fast
    // machine trains this model in well under a second) would show no system metrics.
    const auto min_duration = std::chrono::duration<double>(3.5 * sampling_interval_s);
    const auto elapsed = std::chrono::steady_clock::now() - started;
    if (elapsed < min_duration) std::this_thread::sleep_for(min_duration - elapsed);
    const std::string artifact_uri = mlflow::get_artifact_uri();
    run.end();  // FINISHED; stops the system metrics sampler first

    std::cout << "\nFinal validation accuracy " << val.accuracy << ", loss " << val.loss << "\n\n"
              << "Where the data went:\n"
              << "  tracking store  " << mlflow::get_tracking_uri() << "\n"
              << "  experiment      " << experiment.name << " (id " << experiment.experiment_id
              << ")\n"
              << "  run             " << run.run_id() << "\n"
              << "  artifacts       " << artifact_uri << "\n"
              << "  logged model    " << logged.model_uri() << " (" << logged.artifact_location
              << ")\n"
              << "  model registry  " << version.name << " version " << version.version << " ("
              << mlflow::get_registry_uri() << ")\n"
              << "  prompt          " << prompt.uri() << "\n";
    const std::string uri = mlflow::get_tracking_uri();
    if (uri.rfind("sqlite:", 0) == 0) {
      // The file holds MLflow's own schema: Python's MLflow serves it as it is.
      std::cout << "\nTo look at it in the MLflow UI (Python's mlflow 3.x, `pip install mlflow`):\n"
                << "  mlflow ui --backend-store-uri " << uri << "\n"
                << "then open http://127.0.0.1:5000/#/experiments/" << experiment.experiment_id
                << "/runs/" << run.run_id() << "\n";
    } else {
      std::cout << "\nOpen " << uri << "/#/experiments/" << experiment.experiment_id << "/runs/"
                << run.run_id() << " to look at it in the MLflow UI.\n";
    }
    return 0;
  } catch (const mlflow::MlflowException& e) {
    std::cerr << "mlflow error (" << mlflow::error_code_name(e.error_code()) << "): " << e.what()
              << "\n";
    return 1;
  } catch (const std::exception& e) {
    std::cerr << "error: " << e.what() << "\n";
    return 1;
  }
}
