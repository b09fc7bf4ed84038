package dev.kiln.processor.validate;

import dev.kiln.annotations.Activation;
import dev.kiln.annotations.Loss;
import dev.kiln.processor.model.DenseLayer;
import dev.kiln.processor.model.FlattenLayer;
import dev.kiln.processor.model.LayerModel;
import dev.kiln.processor.model.NetworkModel;
import dev.kiln.processor.model.Pooling2DLayer;
import dev.kiln.processor.model.Shape;
import dev.kiln.processor.model.Tensor;
import dev.kiln.processor.parse.RawLayer;
import dev.kiln.processor.parse.RawNetwork;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.NestingKind;
import javax.lang.model.element.PackageElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.util.ElementFilter;
import javax.lang.model.util.Elements;
import javax.lang.model.util.Types;

/** Every check of a {@code @Network} declaration, and shape inference through its layers. */
public final class NetworkValidator {
    public static final String LAYER_TYPE = "dev.kiln.runtime.Layer";
    public static final String VECTOR_TYPE = "jdk.incubator.vector.FloatVector";

    /** The methods of dev.kiln.runtime.Model, which the generated class implements. */
    private static final Set<String> MODEL_METHODS = Set.of("name", "inputShape", "inputSize", "outputSize", "loss",
            "targetSize", "parameters", "predict", "forward", "backward", "backwardParameters", "zeroGrad", "replica");

    private static final Map<String, LayerRules> RULES = Map.of(
            "Dense", new DenseRules(),
            "Conv2D", new Conv2DRules(),
            "MaxPooling2D", new PoolingRules(Pooling2DLayer.Op.MAX),
            "AveragePooling2D", new PoolingRules(Pooling2DLayer.Op.AVERAGE),
            "Flatten", new FlattenRules());

    private final Elements elements;
    private final Types types;
    /** The classes generated so far in this compilation: qualified name -> the network it was generated for. */
    private final Map<String, String> generated;

    /** @param generated the classes generated so far in this compilation, by qualified name, with their networks */
    public NetworkValidator(Elements elements, Types types, Map<String, String> generated) {
        this.elements = elements;
        this.types = types;
        this.generated = generated;
    }

    /** The validated model, or empty when {@code report} holds errors. */
    public Optional<NetworkModel> validate(RawNetwork raw, Report report) {
        TypeElement type = raw.type();
        String generatedName = generatedName(raw, report);
        if (!checkClass(raw, generatedName, report)) {
            return Optional.empty();
        }
        Optional<Shape> input = input(raw, report);
        checkFields(raw, generatedName, report);
        checkUnannotated(raw, report);
        if (raw.layers().isEmpty()) {
            report.error(type, raw.annotation(), null, Message.NO_LAYERS, type.getSimpleName());
        }
        checkEnvironment(type, raw, report);
        if (input.isEmpty() || raw.layers().isEmpty()) {
            return Optional.empty();
        }
        if (!checkImageLayout(raw, input.get(), report)) {
            return Optional.empty();
        }
        List<LayerModel> layers = layers(raw, input.get(), report);
        if (report.hasErrors()) {
            return Optional.empty();
        }
        Loss loss = Values.enumOf(raw.values().get("loss"), Loss.class);
        checkLoss(raw, loss, layers, report);
        checkActivations(raw, layers, report);
        checkConstants(raw, layers, report);
        if (report.hasErrors()) {
            return Optional.empty();
        }
        PackageElement pkg = elements.getPackageOf(type);
        String qualified = type.getQualifiedName().toString();
        String packageName = pkg.isUnnamed() ? "" : pkg.getQualifiedName().toString();
        String declaringName = packageName.isEmpty() ? qualified : qualified.substring(packageName.length() + 1);
        return Optional.of(new NetworkModel(packageName, declaringName, qualified, generatedName, input.get(), loss, layers));
    }

    private String generatedName(RawNetwork raw, Report report) {
        String written = Values.stringOf(raw.values().get("className"));
        String fallback = defaultName(raw.type());
        if (written.isEmpty()) {
            return fallback;
        }
        if (!SourceVersion.isIdentifier(written) || SourceVersion.isKeyword(written)) {
            report.error(raw.type(), raw.annotation(), raw.writtenValue("className"), Message.CLASS_NAME_INVALID, written, fallback);
            return fallback;
        }
        return written;
    }

    /** {@code Mlp} gives {@code MlpModel}; a nested {@code Outer.Mlp} gives {@code Outer_MlpModel}. */
    private static String defaultName(TypeElement type) {
        StringBuilder name = new StringBuilder(type.getSimpleName());
        Element outer = type.getEnclosingElement();
        while (outer instanceof TypeElement t) {
            name.insert(0, t.getSimpleName() + "_");
            outer = t.getEnclosingElement();
        }
        return name + "Model";
    }

    /** Checks the class itself; false when it is not a class Kiln could extend at all. */
    private boolean checkClass(RawNetwork raw, String generatedName, Report report) {
        TypeElement type = raw.type();
        String name = type.getSimpleName().toString();
        if (type.getKind() != ElementKind.CLASS) {
            String kind = type.getKind().toString().toLowerCase(Locale.ROOT).replace('_', ' ');
            report.error(type, Message.NOT_A_CLASS, name, (kind.matches("^[aeiou].*") ? "an " : "a ") + kind, name);
            return false;
        }
        if (type.getNestingKind() == NestingKind.LOCAL || type.getNestingKind() == NestingKind.ANONYMOUS) {
            report.error(type, Message.LOCAL_NETWORK, name);
            return false;
        }
        Set<Modifier> modifiers = type.getModifiers();
        if (modifiers.contains(Modifier.FINAL)) {
            report.error(type, Message.FINAL_NETWORK, name, generatedName);
        }
        if (modifiers.contains(Modifier.PRIVATE)) {
            report.error(type, Message.PRIVATE_NETWORK, name, generatedName);
        }
        if (type.getNestingKind() == NestingKind.MEMBER && !modifiers.contains(Modifier.STATIC)) {
            report.error(type, Message.INNER_NETWORK, name, generatedName);
        }
        if (!type.getTypeParameters().isEmpty()) {
            String params = type.getTypeParameters().stream().map(Object::toString).collect(Collectors.joining(", ", "<", ">"));
            report.error(type, Message.GENERIC_NETWORK, name, params);
        }
        boolean constructor = ElementFilter.constructorsIn(type.getEnclosedElements()).stream()
                .anyMatch(c -> c.getParameters().isEmpty() && !c.getModifiers().contains(Modifier.PRIVATE));
        if (!constructor && !modifiers.contains(Modifier.PRIVATE)) {
            report.error(type, Message.NO_CONSTRUCTOR, name, generatedName);
        }
        checkMethods(type, generatedName, report);
        String packageName = elements.getPackageOf(type).getQualifiedName().toString();
        String qualified = packageName.isEmpty() ? generatedName : packageName + "." + generatedName;
        TypeElement existing = elements.getTypeElement(qualified);
        String owner = generated.get(qualified);
        if (owner != null && !owner.contentEquals(type.getQualifiedName())) {
            report.error(type, raw.annotation(), raw.writtenValue("className"), Message.GENERATED_NAME_CLASH,
                    type.getQualifiedName(), qualified, owner);
        } else if (existing != null && owner == null && !isEarlierOutput(existing, type)) {
            report.error(type, Message.GENERATED_NAME_TAKEN, qualified, name);
        }
        return true;
    }

    /**
     * Methods the generated class could not coexist with: one named like a method of Model (declared
     * or inherited from a class), which the generated class must define itself, and abstract methods
     * other than Model's, which would leave the generated class abstract.
     */
    private void checkMethods(TypeElement type, String generatedName, Report report) {
        String name = type.getSimpleName().toString();
        for (ExecutableElement method : ElementFilter.methodsIn(elements.getAllMembers(type))) {
            TypeElement declaring = (TypeElement) method.getEnclosingElement();
            String methodName = method.getSimpleName().toString();
            boolean modelName = MODEL_METHODS.contains(methodName);
            boolean inClass = declaring.getKind() == ElementKind.CLASS && !declaring.getQualifiedName().contentEquals("java.lang.Object");
            String signature = "'" + methodName + method.getParameters().stream().map(p -> p.asType().toString())
                    .collect(Collectors.joining(", ", "(", ")")) + "'";
            if (declaring.equals(type)) {
                if (modelName) {
                    report.error(method, Message.MEMBER_CLASH, name, methodName, generatedName, methodName);
                } else if (method.getModifiers().contains(Modifier.ABSTRACT)) {
                    report.error(method, Message.ABSTRACT_METHOD, name, signature, generatedName);
                }
            } else if (modelName && inClass) {
                report.error(type, Message.INHERITED_MEMBER_CLASH, name, methodName, declaring.getQualifiedName(), generatedName, methodName);
            } else if (!modelName && method.getModifiers().contains(Modifier.ABSTRACT)) {
                report.error(type, Message.INHERITED_ABSTRACT_METHOD, name, signature, declaring.getQualifiedName(), generatedName, name);
            }
        }
    }

    /** A class that extends the network is Kiln's output from an earlier compilation, not a clash. */
    private boolean isEarlierOutput(TypeElement existing, TypeElement network) {
        return types.isSameType(types.erasure(existing.getSuperclass()), types.erasure(network.asType()));
    }

    /**
     * A first dimension of 1, 3 or 4 before two of 8 or more, with a convolution or pooling layer
     * to read it, is PyTorch's (C, H, W) order, not Kiln's (H, W, C): one error that says so, rather
     * than a kernel that does not fit or, after that fix, a wrong network. False after reporting.
     */
    private static boolean checkImageLayout(RawNetwork raw, Shape input, Report report) {
        List<Integer> dims = input.dims();
        boolean imageLayers = raw.layers().stream().anyMatch(l -> l.kind().equals("Conv2D") || l.kind().endsWith("Pooling2D"));
        if (input.rank() != 3 || !imageLayers || !List.of(1, 3, 4).contains(dims.get(0)) || dims.get(1) < 8 || dims.get(2) < 8) {
            return true;
        }
        String written = "{" + dims.get(0) + ", " + dims.get(1) + ", " + dims.get(2) + "}";
        String fixed = "{" + dims.get(1) + ", " + dims.get(2) + ", " + dims.get(0) + "}";
        report.error(raw.type(), raw.annotation(), raw.writtenValue("input"), Message.CHANNELS_FIRST_INPUT, written, fixed);
        return false;
    }

    private Optional<Shape> input(RawNetwork raw, Report report) {
        AnnotationValue written = raw.writtenValue("input");
        List<? extends AnnotationValue> dims = Values.listOf(raw.values().get("input"));
        if (dims.isEmpty()) {
            report.error(raw.type(), raw.annotation(), written, Message.MISSING_INPUT, raw.type().getSimpleName());
            return Optional.empty();
        }
        List<Integer> shape = new ArrayList<>();
        for (AnnotationValue dim : dims) {
            shape.add(Values.intOf(dim));
        }
        boolean ok = true;
        for (int i = 0; i < shape.size(); i++) {
            if (shape.get(i) <= 0) {
                String shown = shape.size() == 1 ? String.valueOf(shape.get(0)) : new Shape(shape).toString().replace('(', '{').replace(')', '}');
                report.error(raw.type(), raw.annotation(), dims.get(i), Message.INPUT_NOT_POSITIVE, shown, shape.get(i), i);
                ok = false;
            }
        }
        return ok ? Optional.of(new Shape(shape)) : Optional.empty();
    }

    private void checkFields(RawNetwork raw, String generatedName, Report report) {
        for (RawLayer extra : raw.extraLayerAnnotations()) {
            String first = raw.layers().stream().filter(l -> l.field().equals(extra.field())).findFirst().map(RawLayer::kind).orElse("?");
            report.error(extra.field(), extra.annotation(), null, Message.TWO_LAYER_ANNOTATIONS, extra.name(), first, extra.kind());
        }
        TypeElement layerType = elements.getTypeElement(LAYER_TYPE);
        Map<String, RawLayer> byName = new HashMap<>();
        PackageElement networkPackage = elements.getPackageOf(raw.type());
        for (RawLayer layer : raw.layers()) {
            VariableElement field = layer.field();
            Set<Modifier> modifiers = field.getModifiers();
            RawLayer hidden = byName.putIfAbsent(layer.name(), layer);
            if (hidden != null) {
                report.error(field, Message.LAYER_FIELD_HIDDEN, layer.name(), hidden.name(), ((TypeElement) hidden.field().getEnclosingElement()).getQualifiedName());
            }
            TypeElement declaring = (TypeElement) field.getEnclosingElement();
            if (!declaring.equals(raw.type()) && !elements.getPackageOf(declaring).equals(networkPackage)
                    && !modifiers.contains(Modifier.PROTECTED) && !modifiers.contains(Modifier.PUBLIC) && !modifiers.contains(Modifier.PRIVATE)) {
                report.error(field, Message.LAYER_FIELD_NOT_VISIBLE, layer.name(), declaring.getQualifiedName(), generatedName);
            }
            if (modifiers.contains(Modifier.STATIC)) {
                report.error(field, Message.LAYER_FIELD_STATIC, layer.name());
            }
            if (modifiers.contains(Modifier.PRIVATE)) {
                report.error(field, Message.LAYER_FIELD_PRIVATE, layer.name(), generatedName);
            }
            if (modifiers.contains(Modifier.FINAL)) {
                report.error(field, Message.LAYER_FIELD_FINAL, layer.name(), generatedName);
            }
            TypeMirror fieldType = field.asType();
            if (layerType != null && fieldType.getKind() != TypeKind.ERROR && !types.isSameType(fieldType, layerType.asType())) {
                report.error(field, Message.LAYER_FIELD_TYPE, layer.name(), fieldType);
            }
        }
    }

    private static void checkUnannotated(RawNetwork raw, Report report) {
        for (VariableElement field : raw.unannotatedLayerFields()) {
            report.error(field, Message.LAYER_WITHOUT_ANNOTATION, field.getSimpleName(), field.getSimpleName());
        }
    }

    private void checkEnvironment(TypeElement type, RawNetwork raw, Report report) {
        if (elements.getTypeElement(LAYER_TYPE) == null) {
            report.error(type, raw.annotation(), null, Message.RUNTIME_MISSING);
        }
        if (elements.getTypeElement(VECTOR_TYPE) == null) {
            report.error(type, raw.annotation(), null, Message.VECTOR_MODULE_MISSING);
        }
    }

    private static List<LayerModel> layers(RawNetwork raw, Shape input, Report report) {
        List<LayerModel> layers = new ArrayList<>();
        Shape shape = input;
        Trace trace = Trace.input(input);
        int offset = 0;
        for (RawLayer layer : raw.layers()) {
            LayerRules rules = RULES.get(layer.kind());
            if (rules == null) {
                report.error(layer.field(), layer.annotation(), null, Message.UNKNOWN_LAYER_KIND, layer.kind(), new TreeSet<>(RULES.keySet()));
                return layers;
            }
            Optional<LayerModel> checked = rules.check(layer, shape, trace, offset, report);
            if (checked.isEmpty()) {
                return layers;
            }
            LayerModel model = checked.get();
            if (model instanceof DenseLayer dense && !layers.isEmpty() && layers.getLast() instanceof FlattenLayer flatten) {
                model = dense.overFlattenedImage(flatten.input());
            }
            if ((long) offset + model.parameterCount() > Integer.MAX_VALUE) {
                report.error(layer.field(), layer.annotation(), null, Message.TOO_LARGE, model.name(),
                        (long) offset + model.parameterCount(), "parameters up to it", Integer.MAX_VALUE, trace, model.name(), model.output());
                return layers;
            }
            layers.add(model);
            shape = model.output();
            trace = trace.then(model.name(), shape);
            offset += model.parameterCount();
        }
        if (!layers.isEmpty() && layers.stream().allMatch(l -> l instanceof FlattenLayer)) {
            report.error(raw.type(), raw.annotation(), null, Message.NOTHING_TO_COMPUTE, raw.type().getSimpleName());
        }
        return layers;
    }

    private static void checkLoss(RawNetwork raw, Loss loss, List<LayerModel> layers, Report report) {
        LayerModel last = layers.get(layers.size() - 1);
        AnnotationValue lossValue = raw.writtenValue("loss");
        boolean softmaxLoss = loss == Loss.SOFTMAX_CROSS_ENTROPY || loss == Loss.SPARSE_SOFTMAX_CROSS_ENTROPY;
        if (softmaxLoss && last.output().size() < 2) {
            report.error(raw.type(), raw.annotation(), lossValue, Message.LOSS_NEEDS_CLASSES, loss, last.name(), last.output().size());
            return;
        }
        if (loss == Loss.MSE) {
            return;
        }
        Activation fused = softmaxLoss ? Activation.SOFTMAX : Activation.SIGMOID;
        Activation actual = last.activation();
        if (actual != Activation.LINEAR && actual != fused) {
            String better = switch (actual) {
                case SOFTMAX -> ", or use Loss.SOFTMAX_CROSS_ENTROPY";
                case SIGMOID -> ", or use Loss.BINARY_CROSS_ENTROPY";
                default -> "";
            };
            report.error(raw.type(), raw.annotation(), lossValue, Message.LOSS_ACTIVATION_MISMATCH,
                    loss, fused.name().toLowerCase(), last.name(), actual, fused, last.name(), better);
        }
    }

    private static void checkActivations(RawNetwork raw, List<LayerModel> layers, Report report) {
        String lastName = layers.get(layers.size() - 1).name();
        for (int i = 0; i < layers.size() - 1; i++) {
            if (layers.get(i).activation() == Activation.SOFTMAX) {
                RawLayer layer = raw.layers().get(i);
                report.error(layer.field(), layer.annotation(), layer.writtenValue("activation"), Message.SOFTMAX_NOT_LAST, layer.name(), lastName);
            }
        }
    }

    private static void checkConstants(RawNetwork raw, List<LayerModel> layers, Report report) {
        Map<String, String> owners = new HashMap<>();
        for (int i = 0; i < layers.size(); i++) {
            for (Tensor tensor : layers.get(i).tensors()) {
                String owner = owners.putIfAbsent(tensor.constant(), layers.get(i).name());
                if (owner != null && !owner.equals(layers.get(i).name())) {
                    report.error(raw.layers().get(i).field(), Message.LAYER_NAME_CLASH, owner, layers.get(i).name(), tensor.constant());
                    break;
                }
            }
        }
    }
}
