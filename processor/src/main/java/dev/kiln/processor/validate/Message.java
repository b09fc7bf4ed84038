package dev.kiln.processor.validate;

/**
 * Every diagnostic Kiln reports, in one place. Each says what is wrong with the concrete values
 * and how to fix it; the tag in brackets is stable, so users and tests can search for it.
 */
public enum Message {
    NOT_A_CLASS("NotAClass", "@Network goes on a class, but %s is %s. Declare 'abstract class %s' with the layer fields in it."),
    FINAL_NETWORK("FinalNetwork", "%s is final, but Kiln generates %s as its subclass. Remove 'final'."),
    PRIVATE_NETWORK("PrivateNetwork", "%s is private, so the generated %s cannot extend it. Make it package-private or public."),
    INNER_NETWORK("InnerNetwork", "%s is an inner class, so the generated %s could not be created on its own. Declare it 'static'."),
    LOCAL_NETWORK("LocalNetwork", "%s is declared inside a method; Kiln can only extend top-level and static nested classes. Move it out of the method."),
    GENERIC_NETWORK("GenericNetwork", "%s declares type parameters %s, but a network's shapes and types are fixed when it compiles. Remove the type parameters."),
    NO_CONSTRUCTOR("NoConstructor", "%s has no constructor without parameters that the generated %s could call. Add one that is not private."),
    MISSING_INPUT("MissingInput", "@Network on %s declares no input shape. Add input = n, the number of floats in one sample (for example input = 784)."),
    CHANNELS_FIRST_INPUT("ChannelsFirstInput", "input = %s looks like PyTorch's (channels, height, width), but Kiln's images are (height, width, channels), as in Keras. Declare input = %s."),
    INPUT_NOT_POSITIVE("InputNotPositive", "input = %s has %d at position %d, but every dimension must be at least 1."),
    NO_LAYERS("NoLayers", "%s declares no layers. Add layer fields in the order data flows through them, for example '@Dense(units = 10) Layer out;'."),
    UNITS_NOT_POSITIVE("UnitsNotPositive", "'%s' declares units = %d, but a Dense layer needs at least 1 unit. Set units to its number of outputs."),
    SOFTMAX_NOT_LAST("SoftmaxNotLast", "'%s' uses SOFTMAX, which is allowed only on the last layer ('%s'). Use RELU, TANH or SIGMOID here."),
    SLOPE_WITHOUT_LEAKY_RELU("SlopeWithoutLeakyRelu", "'%s' sets negativeSlope = %s but its activation is %s; negativeSlope applies only to LEAKY_RELU. Set activation = Activation.LEAKY_RELU or remove negativeSlope."),
    NEGATIVE_SLOPE_INVALID("NegativeSlopeInvalid", "'%s' sets negativeSlope = %s, but it must be a finite number >= 0 (PyTorch's default is 0.01)."),
    NEEDS_FLAT_INPUT("NeedsFlatInput", "'%s' is Dense and needs a flat input, but %s gives it shape %s. Add '@Flatten Layer flatten;' before '%s' to flatten it to (%d)%s."),
    NEEDS_IMAGE_INPUT("NeedsImageInput", "'%s' is %s and needs an input of shape (height, width, channels), but %s gives it shape %s. %s"),
    FILTERS_NOT_POSITIVE("FiltersNotPositive", "'%s' declares filters = %d, but a Conv2D layer needs at least 1 filter. Set filters to its number of output channels."),
    WINDOW_DIMENSIONS("WindowDimensions", "'%s' declares %s = %s, but it takes {height, width} or one number for both. Write, for example, %s = %d or %s = {%d, %d}."),
    WINDOW_NOT_POSITIVE("WindowNotPositive", "'%s' declares %s = %s, but each side of a %s must be at least 1."),
    STRIDE_NOT_POSITIVE("StrideNotPositive", "'%s' declares stride = %s, but a stride must be at least 1: stride = 1 moves the window by one element, stride = 2 by two."),
    KERNEL_TOO_LARGE("KernelTooLarge", "'%s' has a %s kernel, larger than its %dx%d input, so its output would have no elements: %s -> %s (%s kernel) does not fit. Use a kernel of at most %dx%d, or padding = Padding.SAME."),
    POOL_TOO_LARGE("PoolTooLarge", "'%s' pools %s windows, larger than its %dx%d input, so its output would have no elements: %s -> %s (%s window) does not fit. Use a window of at most %dx%d, or padding = Padding.SAME."),
    SOFTMAX_NEEDS_FLAT("SoftmaxNeedsFlat", "'%s' uses SOFTMAX on its %s output, but Kiln applies softmax only to a flat output. Use another activation here, and add '@Flatten' and a '@Dense(..., activation = Activation.SOFTMAX)' layer after it."),
    TOO_LARGE("TooLarge", "'%s' needs %,d %s, more than the %,d a Java array holds (%s -> %s %s). Use a smaller input, or fewer units or filters."),
    NOTHING_TO_COMPUTE("NothingToCompute", "%s declares only Flatten layers, which compute nothing. Add a layer that does, for example '@Dense(units = 10) Layer out;'."),
    LOSS_NEEDS_CLASSES("LossNeedsClasses", "loss = %s needs one output per class and at least 2 classes, but the last layer '%s' has %d output. Set units to the number of classes, or use Loss.BINARY_CROSS_ENTROPY for one yes/no output."),
    LOSS_ACTIVATION_MISMATCH("LossActivationMismatch", "loss = %s takes logits and fuses a %s, but the last layer '%s' ends in %s. Set activation = Activation.LINEAR (or %s) on '%s'%s."),
    UNKNOWN_LAYER_KIND("UnknownLayerKind", "@%s is marked @LayerKind, but Kiln has no rules for it; the layer kinds are %s. Use one of them."),
    LAYER_OUTSIDE_NETWORK("LayerOutsideNetwork", "@%s on '%s' has no effect: %s is not annotated with @Network. Annotate the class with @Network(input = ..., loss = ...)."),
    TWO_LAYER_ANNOTATIONS("TwoLayerAnnotations", "'%s' is already declared as @%s; one field declares one layer. Declare another field for @%s."),
    LAYER_FIELD_STATIC("LayerFieldStatic", "layer field '%s' is static, but each model has its own layers. Remove 'static'."),
    LAYER_FIELD_PRIVATE("LayerFieldPrivate", "layer field '%s' is private, but the generated %s sets it. Remove 'private'."),
    LAYER_FIELD_FINAL("LayerFieldFinal", "layer field '%s' is final, but the generated %s sets it. Remove 'final'."),
    LAYER_FIELD_NOT_VISIBLE("LayerFieldNotVisible", "layer field '%s' is declared in %s, in another package, without 'protected' or 'public', so the generated %s cannot set it. Make it protected."),
    LAYER_FIELD_HIDDEN("LayerFieldHidden", "layer field '%s' hides the layer '%s' that %s declares; every layer needs its own name. Rename one of them."),
    LAYER_WITHOUT_ANNOTATION("LayerWithoutAnnotation", "field '%s' is a Layer but has no layer annotation, so it would stay null. Annotate it (for example '@Dense(units = 10) Layer %s;') or remove it."),
    ABSTRACT_METHOD("AbstractMethod", "%s declares the abstract method %s, which the generated %s cannot implement. Give it a body or remove it."),
    INHERITED_ABSTRACT_METHOD("InheritedAbstractMethod", "%s inherits the abstract method %s from %s, which the generated %s cannot implement. Implement it in %s."),
    GENERATED_NAME_CLASH("GeneratedNameClash", "%s also generates %s, which Kiln already generates for %s; two networks cannot share a class. Choose another name with @Network(className = \"...\")."),
    LAYER_FIELD_TYPE("LayerFieldType", "layer field '%s' is declared as %s; declare it as dev.kiln.runtime.Layer."),
    LAYER_NAME_CLASH("LayerNameClash", "layers '%s' and '%s' both become the constant %s in the generated class. Rename one of them."),
    CLASS_NAME_INVALID("ClassNameInvalid", "className = \"%s\" is not a valid Java class name. Use a simple name such as \"%s\"."),
    GENERATED_NAME_TAKEN("GeneratedNameTaken", "Kiln generates %s for %s, but a type with that name already exists. Rename that type, or choose another name with @Network(className = \"...\")."),
    MEMBER_CLASH("MemberClash", "%s declares a method '%s', a name the generated %s needs for Model.%s. Rename the method."),
    INHERITED_MEMBER_CLASH("InheritedMemberClash", "%s inherits a method '%s' from %s, a name the generated %s needs for Model.%s. Rename that method."),
    RUNTIME_MISSING("RuntimeMissing", "dev.kiln.runtime.Layer is not on the class path, but generated models need Kiln's runtime. Add the dependency dev.kiln:kiln-runtime."),
    VECTOR_MODULE_MISSING("VectorModuleMissing", "Kiln's generated code uses the Vector API, but javac cannot see the module jdk.incubator.vector. Add '--add-modules jdk.incubator.vector' to the compiler arguments (Maven: <compilerArgs><arg>--add-modules</arg><arg>jdk.incubator.vector</arg></compilerArgs>)."),
    INTERNAL_ERROR("InternalError", "Kiln failed while compiling %s. This is a bug in Kiln; please report it with this trace:%n%s");

    private final String tag;
    private final String format;

    Message(String tag, String format) {
        this.tag = tag;
        this.format = format;
    }

    /** The message with its values, prefixed by its tag: {@code [UnitsNotPositive] 'hidden' ...}. */
    public String format(Object... args) {
        return "[" + tag + "] " + String.format(format, args);
    }

    public String tag() {
        return tag;
    }
}
